//! Requests per phone and per network address: a token bucket per key, so one phone
//! cannot drown the room for the others. Keys are bounded by construction (a phone's
//! own key only for a token the room knows, otherwise its address); the table is
//! still capped, and swept of buckets that have filled up again (forgetting those
//! changes nothing: a new bucket starts full), every few seconds rather than on
//! every new key, and its memory given back.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Sustained requests per second and the burst allowed, for one joined phone.
pub const PHONE: (f64, f64) = (10.0, 30.0);
/// The same for everything from one network address (phones before they join,
/// unknown tokens, page loads, and what joined phones do beyond their own limit):
/// several phones may share one address behind a router, so it is looser.
pub const ADDRESS: (f64, f64) = (60.0, 300.0);
/// Keys remembered at most; a new key past this waits until old ones are swept.
const MAX_KEYS: usize = 10_000;
/// How often the table is swept.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// Tokens left, when they were counted, and when the bucket will be full again.
type Bucket = (f64, Instant, Instant);

struct Buckets {
    map: HashMap<String, Bucket>,
    swept: Instant,
}

pub struct Limiter(Mutex<Buckets>);

impl Default for Limiter {
    fn default() -> Self {
        Limiter(Mutex::new(Buckets {
            map: HashMap::new(),
            swept: Instant::now(),
        }))
    }
}

impl Buckets {
    /// Forgets buckets that are full again; gives memory back after a flood.
    fn sweep(&mut self, now: Instant) {
        self.map.retain(|_, (_, _, full_at)| *full_at > now);
        if self.map.capacity() > 4 * self.map.len() + 64 {
            self.map.shrink_to_fit();
        }
        self.swept = now;
    }
}

impl Limiter {
    /// Whether `key` may make one more request now, at `(rate, burst)`.
    pub fn allow(&self, key: &str, (rate, burst): (f64, f64)) -> bool {
        let now = Instant::now();
        let mut buckets = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let due = now.duration_since(buckets.swept) >= SWEEP_EVERY;
        let full = buckets.map.len() >= MAX_KEYS && !buckets.map.contains_key(key);
        if due || (full && now.duration_since(buckets.swept) >= Duration::from_secs(1)) {
            buckets.sweep(now);
        }
        if buckets.map.len() >= MAX_KEYS && !buckets.map.contains_key(key) {
            return false;
        }
        let (tokens, at, full_at) = buckets
            .map
            .entry(key.to_owned())
            .or_insert((burst, now, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        let allowed = *tokens >= 1.0;
        if allowed {
            *tokens -= 1.0;
        }
        *full_at = now + Duration::from_secs_f64((burst - *tokens) / rate);
        allowed
    }

    /// Keys remembered now.
    pub fn keys(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_cut_off_and_others_are_not_affected() {
        let l = Limiter::default();
        let allowed = (0..1000).filter(|_| l.allow("phone-a", PHONE)).count();
        assert!((30..=32).contains(&allowed), "{allowed}");
        assert!(l.allow("phone-b", PHONE));
    }

    #[test]
    fn a_flood_of_new_keys_is_capped_cheaply_and_forgotten() {
        let l = Limiter::default();
        let started = Instant::now();
        for i in 0..100_000 {
            l.allow(&format!("ip:{i}"), ADDRESS);
        }
        // Old code swept the whole table for every new key past 10,000: seconds here.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(l.keys() <= MAX_KEYS);
        // Past the cap a new key waits for the next sweep, a second at most, which
        // forgets the flood's buckets (each full again a moment after its request);
        // a key in use is kept while its bucket is not full.
        std::thread::sleep(Duration::from_millis(1100));
        for _ in 0..10 {
            assert!(l.allow("phone", PHONE));
        }
        let mut b = l.0.lock().unwrap();
        b.sweep(Instant::now());
        assert_eq!(b.map.keys().collect::<Vec<_>>(), ["phone"]);
        assert!(b.map.capacity() < 1000, "memory given back");
    }
}
