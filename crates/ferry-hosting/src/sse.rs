//! The event stream (`text/event-stream`) reader the client follows an order with.
//! Pure, so it can be fuzzed: bytes in as they arrive, each complete event's data out.

/// Longest event kept while waiting for its end: a status is a few kB, so a stream
/// that goes on without a blank line is not the hosting API.
pub const MAX_EVENT_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an event in the stream is longer than {MAX_EVENT_BYTES} bytes")]
pub struct EventTooLong;

#[derive(Debug, Default)]
pub struct SseReader {
    buf: Vec<u8>,
}

impl SseReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `chunk` and returns the data of each event it completed (keep-alive
    /// comments and events without data are skipped). Works on bytes, so a UTF-8
    /// character or a CR LF split across chunks arrives whole.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, EventTooLong> {
        // CR only ever appears in line ends (JSON escapes it), so dropping it turns
        // CR LF into LF wherever the chunk boundary falls.
        self.buf.extend(chunk.iter().filter(|b| **b != b'\r'));
        let mut out = Vec::new();
        while let Some(end) = self.buf.windows(2).position(|w| w == b"\n\n") {
            let event: Vec<u8> = self.buf.drain(..end + 2).collect();
            let text = String::from_utf8_lossy(&event);
            let data: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(|d| d.strip_prefix(' ').unwrap_or(d))
                .collect();
            if !data.is_empty() {
                out.push(data.join("\n"));
            }
        }
        if self.buf.len() > MAX_EVENT_BYTES {
            self.buf.clear();
            return Err(EventTooLong);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_arrive_whole() {
        let stream = "data: {\"a\":\"ø\"}\r\n\r\n: keep-alive\n\ndata: x\ndata: y\n\n".as_bytes();
        for cut in 0..stream.len() {
            let mut r = SseReader::new();
            let mut got = r.push(&stream[..cut]).unwrap();
            got.extend(r.push(&stream[cut..]).unwrap());
            assert_eq!(got, ["{\"a\":\"ø\"}", "x\ny"], "cut at {cut}");
        }
    }

    #[test]
    fn an_endless_event_is_refused() {
        let mut r = SseReader::new();
        let line = vec![b'a'; 64 * 1024];
        let mut refused = false;
        for _ in 0..20 {
            if r.push(&line).is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused);
    }
}
