//! Real servers on loopback for tests.
