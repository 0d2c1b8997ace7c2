//! The move as a process of its own, for the kill check (tests/move_servers.rs): it
//! moves the spec it is given and prints each progress as `moved N`, so the test can
//! `kill -9` it in the middle and start the move again.
//!
//! `kill_child SPEC.json LEDGER_DIR`; the passwords come on standard input, one
//! `kind<TAB>login<TAB>password` a line, never in a file or an argument.

use std::io::{BufRead, Write};
use std::time::Duration;

use ferry_move::Kind;
use ferry_move::plan::MoveSpec;
use ferry_move::run::{Options, Secrets, run};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, spec, ledger] = args.as_slice() else {
        eprintln!("usage: kill_child SPEC.json LEDGER_DIR (passwords on standard input)");
        std::process::exit(2);
    };
    let spec: MoveSpec =
        serde_json::from_slice(&std::fs::read(spec).expect("the spec")).expect("a move spec");
    let mut secrets = Secrets::default();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("standard input");
        let mut f = line.splitn(3, '\t');
        let (Some(kind), Some(login), Some(pw)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let kind = Kind::from_key(kind).expect("a kind");
        secrets.own.insert((kind, login.to_owned()), pw.to_owned());
    }
    let options = Options {
        verify: false,
        every: Duration::ZERO,
        ..Options::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let sink = |p: ferry_move::Progress| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "moved {}", p.moved);
        let _ = out.flush();
    };
    match rt.block_on(run(
        "kill",
        &spec,
        &secrets,
        std::path::Path::new(ledger),
        &options,
        &sink,
    )) {
        Ok(_) => println!("finished"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
