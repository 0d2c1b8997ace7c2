//! The plain clients of the comparison, each into fresh servers: python3's imaplib and
//! a bare APPEND loop (with and without INBOX selected) for mail, curl for events,
//! cards and files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use ferry_move::Kind;
use ferry_move::testing::{Server, dovecot};

use super::{PASSWORD, RECEIVED, USER, fail};

/// python3's imaplib, the plainest IMAP client: log in, APPEND each message with
/// `\Seen` and its received date, then STATUS.
const APPEND: &str = r#"
import imaplib, os, sys
port, folder, user, password, date = sys.argv[1:6]
m = imaplib.IMAP4("127.0.0.1", int(port))
m.login(user, password)
for name in sorted(os.listdir(folder), key=lambda n: int(n.split(".")[0])):
    with open(os.path.join(folder, name), "rb") as f:
        typ, data = m.append("INBOX", r"(\Seen)", '"' + date + '"', f.read())
    if typ != "OK":
        sys.exit("APPEND %s: %s %s" % (name, typ, data))
typ, data = m.status("INBOX", "(MESSAGES)")
print(data[0].decode().split()[-1].rstrip(")"))
m.logout()
"#;

/// Runs a client to its end: its output, or the benchmark fails.
fn client(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| fail(&format!("{what} does not start: {e}")));
    if !out.status.success() {
        fail(&format!("{what} failed ({})", out.status));
    }
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// curl with the login, failing on any error status. `Expect:` is cleared: curl asks
/// `Expect: 100-continue` before a PUT's body, and Radicale's server never answers it,
/// so each PUT would wait curl's 1 s for the go-ahead.
fn curl() -> Command {
    let mut c = Command::new("curl");
    c.args(["-sS", "--fail", "--globoff", "-H", "Expect:", "--user"])
        .arg(format!("{USER}:{PASSWORD}"));
    c
}

/// One curl PUTting every file of `dir` into `collection` (a URL ending in `/`); a
/// config file lists the uploads. curl keeps its connection where the server lets it
/// (Apache); Radicale answers HTTP/1.0 and closes each, for Ferry as for curl.
fn put_all(dir: &Path, collection: &str, content_type: &str, what: &str) {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut config = String::new();
    for n in &names {
        config.push_str(&format!(
            "upload-file = \"{}\"\nurl = \"{collection}{}\"\n",
            dir.join(n).display(),
            n.replace(' ', "%20")
        ));
    }
    let path = dir.with_extension("curl");
    std::fs::write(&path, config).unwrap();
    let mut c = curl();
    c.arg("--fail-early")
        .args(["-H", &format!("Content-Type: {content_type}")])
        .arg("-K")
        .arg(&path)
        .stdout(Stdio::null());
    client(&mut c, what);
}

/// The plainest IMAP client in Rust: a TCP stream (no Nagle delay), LOGIN, and for each
/// message the APPEND every client sends (`{n}`, wait for `+`, the bytes), then STATUS.
/// With `select`, INBOX is selected first, as Ferry has it (it reads what the folder
/// holds before appending). Answers the messages INBOX then holds.
fn append_loop(port: u16, dir: &Path, select: bool) -> std::io::Result<u64> {
    use std::io::{BufRead, BufReader, Error};
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort_by_key(|n| n.split('.').next().and_then(|i| i.parse::<u64>().ok()));
    let mut w = std::net::TcpStream::connect(("127.0.0.1", port))?;
    w.set_nodelay(true)?;
    let mut r = BufReader::new(w.try_clone()?);
    // The first line starting with `want` (a tag, `+` or `*`); a tagged NO/BAD fails.
    let mut until = |want: &str, tag: &str| -> std::io::Result<String> {
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                return Err(Error::other("the server closed the connection"));
            }
            if line.starts_with(want) {
                return Ok(line);
            }
            if line.starts_with(&format!("{tag} ")) {
                return Err(Error::other(line.trim().to_owned()));
            }
        }
    };
    until("* OK", "-")?;
    write!(w, "a LOGIN {USER} {PASSWORD}\r\n")?;
    until("a OK", "a")?;
    if select {
        write!(w, "b SELECT INBOX\r\n")?;
        until("b OK", "b")?;
    }
    for (i, name) in names.iter().enumerate() {
        let bytes = std::fs::read(dir.join(name))?;
        let tag = format!("m{i}");
        write!(
            w,
            "{tag} APPEND INBOX (\\Seen) \"{RECEIVED}\" {{{}}}\r\n",
            bytes.len()
        )?;
        until("+", &tag)?;
        w.write_all(&bytes)?;
        w.write_all(b"\r\n")?;
        until(&format!("{tag} OK"), &tag)?;
    }
    write!(w, "s STATUS INBOX (MESSAGES)\r\n")?;
    let status = until("* STATUS", "s")?;
    let held = status
        .rsplit_once("MESSAGES ")
        .and_then(|(_, n)| n.trim().trim_end_matches(')').parse().ok())
        .unwrap_or(0);
    until("s OK", "s")?;
    write!(w, "z LOGOUT\r\n")?;
    Ok(held)
}

/// CPU seconds (user and system, with the children it waited for) of `pid` and every
/// process below it, from /proc (a server's workers are its children).
pub fn cpu_tree(pid: Option<u32>) -> f64 {
    let Some(root) = pid else {
        return 0.0;
    };
    let procs: Vec<(u32, u32, u64)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p: u32 = e.file_name().to_str()?.parse().ok()?;
            let (ppid, ticks) = stat(&format!("/proc/{p}/stat"))?;
            Some((p, ppid, ticks))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while let Some(&parent) = tree.get(i) {
        tree.extend(procs.iter().filter(|p| p.1 == parent).map(|p| p.0));
        i += 1;
    }
    let ticks: u64 = procs
        .iter()
        .filter(|p| tree.contains(&p.0))
        .map(|p| p.2)
        .sum();
    ticks as f64 / 100.0
}

/// This process's CPU seconds, with the clients it ran and waited for.
pub fn cpu_self() -> f64 {
    stat("/proc/self/stat").map_or(0.0, |(_, t)| t as f64 / 100.0)
}

/// The parent and the utime + stime + cutime + cstime ticks of a /proc stat file.
fn stat(path: &str) -> Option<(u32, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let f: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = f
        .get(11..15)?
        .iter()
        .map(|v| v.parse::<u64>().ok())
        .sum::<Option<u64>>()?;
    Some((f.get(1)?.parse().ok()?, ticks))
}

/// One plain client's upload of one kind.
pub struct Row {
    pub kind: Kind,
    pub client: &'static str,
    pub secs: f64,
    /// The items the server holds afterwards.
    pub held: u64,
    pub client_cpu: f64,
    pub server_cpu: f64,
}

fn measured(
    kind: Kind,
    client: &'static str,
    server: &Server,
    upload: impl FnOnce() -> u64,
) -> Row {
    let (c0, s0) = (cpu_self(), cpu_tree(server.pid()));
    let started = Instant::now();
    let held = upload();
    let secs = started.elapsed().as_secs_f64();
    Row {
        kind,
        client,
        secs,
        held,
        client_cpu: cpu_self() - c0,
        server_cpu: cpu_tree(server.pid()) - s0,
    }
}

/// The plain clients into fresh servers, one row per kind and client.
pub fn run(plain: &Path, (imap, dav, files): &(Server, Server, Server)) -> Vec<Row> {
    let count = |dir: PathBuf| {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count() as u64
        })
    };
    let mut out = vec![measured(Kind::Mail, "python3 imaplib", imap, || {
        client(
            Command::new("python3")
                .args(["-c", APPEND, &imap.port.to_string()])
                .arg(plain.join("mail"))
                .args([USER, PASSWORD, RECEIVED]),
            "python3 imaplib APPEND",
        )
        .parse()
        .unwrap_or(0)
    })];
    // Each loop into a Dovecot of its own, so it appends into an empty INBOX too.
    for (select, name) in [
        (false, "an APPEND loop (Rust, TCP)"),
        (true, "the loop, INBOX selected"),
    ] {
        let Some(own) = dovecot(&[(USER, PASSWORD)]) else {
            return out;
        };
        out.push(measured(Kind::Mail, name, &own, || {
            append_loop(own.port, &plain.join("mail"), select)
                .unwrap_or_else(|e| fail(&format!("the APPEND loop: {e}")))
        }));
    }
    let dav_home = format!("http://127.0.0.1:{}/{USER}/", dav.port);
    let radicale_home = dav
        .dir
        .path()
        .join("collections/collection-root")
        .join(USER);
    out.push(measured(Kind::Calendar, "curl", dav, || {
        client(
            curl()
                .args(["-X", "MKCALENDAR", "-o", "/dev/null"])
                .arg(format!("{dav_home}bench/")),
            "curl MKCALENDAR",
        );
        put_all(
            &plain.join("events"),
            &format!("{dav_home}bench/"),
            "text/calendar; charset=utf-8",
            "curl PUT (events)",
        );
        count(radicale_home.join("bench"))
    }));
    out.push(measured(Kind::Contacts, "curl", dav, || {
        client(
            curl()
                .args(["-X", "MKCOL", "-o", "/dev/null"])
                .args(["-H", "Content-Type: application/xml; charset=utf-8"])
                .args(["--data-binary", r#"<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>"#])
                .arg(format!("{dav_home}google-contacts/")),
            "curl MKCOL (address book)",
        );
        put_all(
            &plain.join("contacts"),
            &format!("{dav_home}google-contacts/"),
            "text/vcard; charset=utf-8",
            "curl PUT (contacts)",
        );
        count(radicale_home.join("google-contacts"))
    }));
    let drive = format!("http://127.0.0.1:{}/dav/{USER}/Google%20Drive/", files.port);
    out.push(measured(Kind::Files, "curl", files, || {
        client(
            curl().args(["-X", "MKCOL", "-o", "/dev/null"]).arg(&drive),
            "curl MKCOL (files)",
        );
        put_all(
            &plain.join("files"),
            &drive,
            "application/octet-stream",
            "curl PUT (files)",
        );
        count(files.dir.path().join("dav").join(USER).join("Google Drive"))
    }));
    out
}
