//! Ports for tests that cannot race with other tests on a busy machine, and the
//! real Keycloak `scripts/keycloak run` started for the run ([`keycloak`]).
//!
//! Two patterns used to find a port by binding port 0 and dropping the socket, then
//! using the number later: another test (or anything on the machine asking for an
//! ephemeral port) could be handed the same number in between. Instead:
//! - [`DeadPort`]: a port that refuses connections, held for as long as the value
//!   lives (bound, never listening), so nothing else can take it;
//! - [`reserve_port`]: a port for a program started later that takes a `--port`, chosen
//!   below the kernel's ephemeral range, where bind(0) and outgoing connections never land.

pub mod keycloak;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A loopback port where connections are refused, for as long as this value lives.
pub struct DeadPort {
    socket: tokio::net::TcpSocket,
}

impl DeadPort {
    pub fn new() -> DeadPort {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind a loopback port");
        DeadPort { socket }
    }

    pub fn port(&self) -> u16 {
        self.socket.local_addr().expect("bound").port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.socket.local_addr().expect("bound")
    }
}

impl Default for DeadPort {
    fn default() -> Self {
        Self::new()
    }
}

/// A free loopback port for a program that is told its port: below the ephemeral
/// range, free when checked (nothing bound, nothing answering), and never given out
/// twice by this process. Only a program asking for this exact number could take it.
pub fn reserve_port() -> u16 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    const FIRST: u32 = 20000;
    let low = u32::from(ephemeral_low()).min(32768);
    let span = low.saturating_sub(FIRST).max(1000);
    // Spread test processes (by pid) over the range, so two runs side by side differ.
    let offset = std::process::id() % span;
    for _ in 0..span {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = u16::try_from(FIRST + (offset + n) % span).expect("below 65536");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        if TcpListener::bind(addr).is_ok()
            && TcpStream::connect_timeout(&addr, Duration::from_millis(50)).is_err()
        {
            return port;
        }
    }
    panic!("no free port between {FIRST} and {}", FIRST + span);
}

/// The first port of the kernel's ephemeral range (Linux; 32768 elsewhere).
fn ephemeral_low() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_port_refuses_and_stays_taken() {
        let dead = DeadPort::new();
        assert!(TcpStream::connect(dead.addr()).is_err(), "refused");
        assert!(
            TcpListener::bind(dead.addr()).is_err(),
            "nobody else can take it"
        );
    }

    #[test]
    fn reserved_ports_are_outside_the_ephemeral_range_and_never_repeat() {
        let ports: Vec<u16> = (0..50).map(|_| reserve_port()).collect();
        let low = ephemeral_low();
        assert!(ports.iter().all(|p| *p >= 20000 && *p < low), "{ports:?}");
        let mut unique = ports.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ports.len(), "{ports:?}");
    }
}
