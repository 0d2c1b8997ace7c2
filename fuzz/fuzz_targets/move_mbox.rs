//! A Takeout `.mbox` file as the mover reads it, message by message from a stream:
//! no panic, and what `ferry_move::fuzz::mbox` asserts (the same messages whatever
//! the read buffer, size and hash matching the CRLF bytes, sizes bounded by the file).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferry_move::fuzz::mbox(data);
});
