//! A certificate authority the organisation's sign-in service uses, given as a PEM
//! file and kept in the plan's provider settings (`sso.ca_pem`): read, checked, and
//! shown by its SHA-256 fingerprint so that it can be compared with what the hosting
//! co-op says. It is trusted for the sign-in service as well as the built-in roots
//! and the operating system's store.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The file names a CA file is offered under when one is chosen.
pub const EXTENSIONS: &[&str] = &["pem", "crt", "cer"];

/// The most text a CA file may hold (a long chain is a few KB).
pub const MAX_PEM: usize = 64 * 1024;

/// One certificate of the file, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Authority {
    /// SHA-256 of the certificate, `AB:CD:…` as `openssl x509 -fingerprint -sha256` prints it.
    pub fingerprint: String,
}

/// The certificates in `pem`, or the message key of what is wrong with it.
pub fn read(pem: &str) -> Result<Vec<Authority>, &'static str> {
    if pem.len() > MAX_PEM {
        return Err("ca_too_large");
    }
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|_| "ca_invalid")?;
    if certs.is_empty() {
        return Err("ca_invalid");
    }
    // Each must read as a certificate an authority can be made of.
    if certs
        .iter()
        .any(|c| webpki::anchor_from_trusted_cert(c).is_err())
    {
        return Err("ca_invalid");
    }
    Ok(certs
        .iter()
        .map(|c| Authority {
            fingerprint: Sha256::digest(c.as_ref())
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":"),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate and its fingerprint as openssl prints it
    /// (`openssl x509 -noout -fingerprint -sha256`).
    const PEM: &str = include_str!("../tests/fixtures/ca.pem");
    const FINGERPRINT: &str = include_str!("../tests/fixtures/ca.sha256");

    #[test]
    fn a_ca_file_is_read_with_its_fingerprint() {
        let read = read(PEM).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].fingerprint, FINGERPRINT.trim());
    }

    #[test]
    fn text_that_is_not_a_certificate_is_refused() {
        assert_eq!(read(""), Err("ca_invalid"));
        assert_eq!(read("hello"), Err("ca_invalid"));
        let broken = PEM.replace("MII", "XXX");
        assert_eq!(read(&broken), Err("ca_invalid"));
        assert_eq!(read(&"A".repeat(MAX_PEM + 1)), Err("ca_too_large"));
    }
}
