//! The networks the room can listen on, named as a facilitator knows them ("Wi-Fi",
//! "network cable", "this computer only") rather than as the system does ("wlp2s0",
//! "eth0", "lo"), best choice for phones first.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of network an interface is, as far as this computer can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NetKind {
    Wifi,
    Cable,
    /// Containers, VPNs, virtual machines' bridges: phones in the room rarely reach it.
    Virtual,
    /// Loopback: only this computer (for a try-out, not for phones).
    ThisComputer,
}

ferry_core::all_values!(NetKind: Wifi, Cable, Virtual, ThisComputer);

/// A network interface the room can listen on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NetInterface {
    /// The system's name (`wlp2s0`), shown only for a virtual network.
    pub name: String,
    pub address: String,
    pub kind: NetKind,
    /// Only this computer can reach it (for a try-out, not for phones).
    pub loopback: bool,
}

/// The IPv4 interfaces of this computer, the likeliest network for phones first:
/// Wi-Fi, then cable, then virtual ones, this computer last.
pub fn interfaces() -> Vec<NetInterface> {
    let mut list: Vec<NetInterface> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.ip().is_ipv4())
        .map(|i| NetInterface {
            kind: classify(Path::new("/sys/class/net"), &i.name, i.is_loopback()),
            loopback: i.is_loopback(),
            address: i.ip().to_string(),
            name: i.name,
        })
        .collect();
    list.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    list
}

/// Linux says in `sysfs` whether an interface is wireless (`wireless/`, `phy80211`)
/// and whether it is a device at all (`device`, absent for bridges, VPNs, `veth`);
/// elsewhere, and when `sysfs` is not there, the usual names decide.
pub fn classify(sysfs: &Path, name: &str, loopback: bool) -> NetKind {
    if loopback {
        return NetKind::ThisComputer;
    }
    let dir = sysfs.join(name);
    if dir.is_dir() {
        if dir.join("wireless").exists() || dir.join("phy80211").exists() {
            return NetKind::Wifi;
        }
        return if dir.join("device").exists() {
            NetKind::Cable
        } else {
            NetKind::Virtual
        };
    }
    by_name(name)
}

fn by_name(name: &str) -> NetKind {
    let lower = name.to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    if starts(&["wl", "wi-fi", "wifi", "wireless", "wlan"]) {
        NetKind::Wifi
    } else if starts(&["eth", "en", "em", "ethernet", "lan"]) {
        NetKind::Cable
    } else {
        NetKind::Virtual
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysfs_tells_wifi_from_cable_from_virtual() {
        let sys = tempfile::tempdir().unwrap();
        for (name, marks) in [
            ("wlp2s0", &["device", "wireless"][..]),
            ("enp3s0", &["device"][..]),
            ("docker0", &[][..]),
            ("tailscale0", &[][..]),
        ] {
            let dir = sys.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            for m in marks {
                std::fs::create_dir(dir.join(m)).unwrap();
            }
        }
        let kind = |name: &str| classify(sys.path(), name, false);
        assert_eq!(kind("wlp2s0"), NetKind::Wifi);
        assert_eq!(kind("enp3s0"), NetKind::Cable);
        assert_eq!(kind("docker0"), NetKind::Virtual);
        assert_eq!(kind("tailscale0"), NetKind::Virtual);
        assert_eq!(classify(sys.path(), "lo", true), NetKind::ThisComputer);
        // Without sysfs (macOS, Windows): the usual names.
        assert_eq!(kind("Wi-Fi"), NetKind::Wifi);
        assert_eq!(kind("Ethernet 2"), NetKind::Cable);
        assert_eq!(kind("utun3"), NetKind::Virtual);
    }

    #[test]
    fn this_computer_comes_last_and_is_said_so() {
        let list = interfaces();
        let last = list.last().expect("every computer has loopback");
        assert_eq!(last.kind, NetKind::ThisComputer);
        assert!(last.loopback);
        assert!(list.windows(2).all(|w| w[0].kind <= w[1].kind));
    }
}
