//! How many of something (connections, live-update streams) the room holds, per
//! network address and in all. A place is taken for as long as its `Held` lives.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// At most `per_address` from one address and `total` in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub per_address: u32,
    pub total: u32,
}

pub struct Quota {
    cap: Cap,
    held: Mutex<(HashMap<IpAddr, u32>, u32)>,
}

/// One place in a quota, given back when dropped.
pub struct Held {
    quota: Arc<Quota>,
    address: IpAddr,
}

impl Quota {
    pub fn new(cap: Cap) -> Arc<Self> {
        Arc::new(Quota {
            cap,
            held: Mutex::default(),
        })
    }

    /// A place for `address`, if it and the room are under their caps.
    pub fn take(self: &Arc<Self>, address: IpAddr) -> Option<Held> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let (per, total) = &mut *held;
        let mine = per.entry(address).or_insert(0);
        if *mine >= self.cap.per_address || *total >= self.cap.total {
            if *mine == 0 {
                per.remove(&address);
            }
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(Held {
            quota: self.clone(),
            address,
        })
    }

    #[cfg(test)]
    pub fn held(&self) -> u32 {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).1
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut held = self.quota.held.lock().unwrap_or_else(|p| p.into_inner());
        let (per, total) = &mut *held;
        *total = total.saturating_sub(1);
        if let Some(n) = per.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                per.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_and_the_room_are_each_capped_and_places_come_back() {
        let q = Quota::new(Cap {
            per_address: 2,
            total: 3,
        });
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let first = q.take(a).unwrap();
        let _second = q.take(a).unwrap();
        assert!(q.take(a).is_none(), "over the address's cap");
        let _third = q.take(b).unwrap();
        assert!(q.take(b).is_none(), "over the room's cap");
        drop(first);
        assert!(q.take(a).is_some());
        assert_eq!(q.held(), 2);
    }
}
