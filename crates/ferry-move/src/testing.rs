//! Real servers on loopback for the tests, the kill check and the benchmark, each
//! started from its Debian package (scripts/setup installs them) with a throwaway
//! configuration in a temporary folder, on a port no other test can take, and awaited
//! until it answers (never a fixed sleep):
//!
//! - Dovecot (`dovecot-imapd`) for IMAP, with a master user for the admin mode;
//! - Radicale (`radicale`) for CalDAV and CardDAV;
//! - Apache httpd with mod_dav (`apache2`) for WebDAV, a folder per user.
//!
//! A missing server makes [`start`]'s callers SKIP on a developer's machine and fail
//! in CI (`CI=true`). Servers are stopped (SIGTERM, then waited for) when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process and its folder, stopped and removed on drop.
pub struct Server {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Option<Child>,
    name: &'static str,
    log: PathBuf,
}

impl Server {
    /// The server's log, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            eprintln!("{} did not stop on SIGTERM; killed", self.name);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A program from the Debian package, or why the test cannot run. In CI a missing
/// server is a failure; elsewhere the test says SKIPPED.
pub fn program(name: &str, package: &str) -> Option<PathBuf> {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let msg =
        format!("{name} is not installed (Debian package {package}; scripts/setup installs it)");
    assert!(
        std::env::var("CI").map_or(true, |v| v.is_empty() || v == "false"),
        "{msg}"
    );
    eprintln!("SKIPPED: {msg}");
    None
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// (uid, gid) of a system user, from /etc/passwd.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&name))
            .then(|| Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?)))?
    })
}

fn chown_all(path: &Path, ids: (u32, u32)) {
    let _ = std::os::unix::fs::chown(path, Some(ids.0), Some(ids.1));
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            chown_all(&e.path(), ids);
        }
    }
}

fn spawn(cmd: &mut Command, log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("a log file");
    let err = out.try_clone().expect("a log file");
    cmd.stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} does not start: {e}"))
}

/// Waits until `ready` answers true (polling), the process exits, or 60 s pass.
fn await_ready(server: &mut Server, ready: impl Fn(u16) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if ready(server.port) {
            return;
        }
        if let Some(child) = server.child.as_mut()
            && let Ok(Some(status)) = child.try_wait()
        {
            panic!(
                "{} exited ({status}) before answering:\n{}",
                server.name,
                server.log()
            );
        }
        assert!(
            Instant::now() < deadline,
            "{} did not answer within 60 s:\n{}",
            server.name,
            server.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn imap_greets(port: u16) -> bool {
    let Ok(s) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500))
    else {
        return false;
    };
    s.set_read_timeout(Some(Duration::from_secs(2))).ok();
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).is_ok() && line.starts_with("* OK")
}

fn http_answers(port: u16) -> bool {
    let Ok(mut s) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500))
    else {
        return false;
    };
    s.set_read_timeout(Some(Duration::from_secs(2))).ok();
    if s.write_all(b"OPTIONS / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.")
}

/// Dovecot with these users (login, password) and a master user `admin`/`master`
/// for the admin mode. Mail is stored as Maildir in the server's folder; fsync is off
/// (a test server; the benchmark says so).
pub fn dovecot(users: &[(&str, &str)]) -> Option<Server> {
    let bin = program("dovecot", "dovecot-imapd")?;
    let dir = tempfile::Builder::new()
        .prefix("ferry-dovecot")
        .tempdir()
        .expect("a folder");
    let d = dir.path();
    std::fs::create_dir_all(d.join("run")).expect("run folder");
    std::fs::create_dir_all(d.join("mail")).expect("mail folder");
    let port = ferry_testkit::reserve_port();
    let (internal, login, mail_ids) = if is_root() {
        let ids = user_ids("dovecot").expect("the dovecot user (from the package)");
        ("dovecot".to_owned(), "dovenull".to_owned(), ids)
    } else {
        let me = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
        let ids = (
            nix::unistd::getuid().as_raw(),
            nix::unistd::getgid().as_raw(),
        );
        (me.clone(), me, ids)
    };
    let group = std::fs::read_to_string("/etc/group")
        .ok()
        .and_then(|g| {
            g.lines()
                .find(|l| l.split(':').nth(2) == Some(&mail_ids.1.to_string()))
                .and_then(|l| l.split(':').next().map(str::to_owned))
        })
        .unwrap_or_else(|| internal.clone());
    let users_file: String = users
        .iter()
        .map(|(u, p)| format!("{u}:{{PLAIN}}{p}\n"))
        .collect();
    std::fs::write(d.join("users"), users_file).expect("users");
    std::fs::write(d.join("masters"), "admin:{PLAIN}master\n").expect("masters");
    let p = d.display();
    let conf = format!(
        r#"protocols = imap
listen = 127.0.0.1
base_dir = {p}/run
state_dir = {p}/run
log_path = {p}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{p}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {p}/masters
  master = yes
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {p}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={p}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  unix_listener auth-userdb {{
    user = {internal}
  }}
}}
"#,
        uid = mail_ids.0,
        gid = mail_ids.1,
    );
    std::fs::write(d.join("dovecot.conf"), conf).expect("config");
    chown_all(&d.join("mail"), mail_ids);
    let log = d.join("dovecot.log");
    let child = spawn(
        Command::new(bin)
            .arg("-F")
            .arg("-c")
            .arg(d.join("dovecot.conf")),
        &d.join("stdout.log"),
    );
    let mut server = Server {
        port,
        dir,
        child: Some(child),
        name: "dovecot",
        log,
    };
    await_ready(&mut server, imap_greets);
    Some(server)
}

/// Radicale with these users, storage in the server's folder.
pub fn radicale(users: &[(&str, &str)]) -> Option<Server> {
    let bin = program("radicale", "radicale")?;
    let dir = tempfile::Builder::new()
        .prefix("ferry-radicale")
        .tempdir()
        .expect("a folder");
    let d = dir.path();
    let port = ferry_testkit::reserve_port();
    let users_file: String = users.iter().map(|(u, p)| format!("{u}:{p}\n")).collect();
    std::fs::write(d.join("users"), users_file).expect("users");
    let p = d.display();
    let conf = format!(
        "[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\nhtpasswd_filename = {p}/users\nhtpasswd_encryption = plain\n[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = {p}/collections\n[logging]\nlevel = warning\n"
    );
    std::fs::write(d.join("config"), conf).expect("config");
    let log = d.join("radicale.log");
    // Debian's radicale runs on the system Python, whatever python3 a PATH prefers.
    let child = spawn(
        Command::new(bin).arg("--config").arg(d.join("config")),
        &log,
    );
    let mut server = Server {
        port,
        dir,
        child: Some(child),
        name: "radicale",
        log,
    };
    await_ready(&mut server, http_answers);
    Some(server)
}

/// Apache httpd with mod_dav: `/dav/<user>/` for each user, only to that user.
pub fn apache_dav(users: &[(&str, &str)]) -> Option<Server> {
    let bin = program("apache2", "apache2")?;
    let htpasswd = program("htpasswd", "apache2-utils")?;
    let dir = tempfile::Builder::new()
        .prefix("ferry-apache")
        .tempdir()
        .expect("a folder");
    let d = dir.path();
    for sub in ["run", "dav"] {
        std::fs::create_dir_all(d.join(sub)).expect("folder");
    }
    let port = ferry_testkit::reserve_port();
    let mut locations = String::new();
    for (i, (u, pw)) in users.iter().enumerate() {
        std::fs::create_dir_all(d.join("dav").join(u)).expect("user folder");
        let mut cmd = Command::new(&htpasswd);
        cmd.arg("-b");
        if i == 0 {
            cmd.arg("-c");
        }
        let ok = cmd
            .arg(d.join("htpasswd"))
            .arg(u)
            .arg(pw)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "htpasswd failed");
        locations.push_str(&format!(
            "<Location /dav/{u}/>\n  Require user {u}\n</Location>\n"
        ));
    }
    let m = "/usr/lib/apache2/modules";
    let p = d.display();
    let user = if is_root() {
        "User www-data\nGroup www-data\n"
    } else {
        ""
    };
    let conf = format!(
        r#"ServerRoot {p}
ServerName 127.0.0.1
PidFile {p}/run/httpd.pid
Listen 127.0.0.1:{port}
LoadModule mpm_event_module {m}/mod_mpm_event.so
LoadModule authz_core_module {m}/mod_authz_core.so
LoadModule authn_core_module {m}/mod_authn_core.so
LoadModule authn_file_module {m}/mod_authn_file.so
LoadModule authz_user_module {m}/mod_authz_user.so
LoadModule auth_basic_module {m}/mod_auth_basic.so
LoadModule alias_module {m}/mod_alias.so
LoadModule dav_module {m}/mod_dav.so
LoadModule dav_fs_module {m}/mod_dav_fs.so
{user}ErrorLog {p}/error.log
LogLevel warn
DavLockDB {p}/run/davlock
LimitRequestBody 0
Timeout 300
KeepAliveTimeout 30
MaxKeepAliveRequests 0
Alias /dav {p}/dav
<Directory {p}/dav>
  Dav On
  AuthType Basic
  AuthName dav
  AuthUserFile {p}/htpasswd
  Require valid-user
</Directory>
{locations}"#
    );
    std::fs::write(d.join("httpd.conf"), conf).expect("config");
    if is_root() {
        let ids = user_ids("www-data").expect("the www-data user");
        chown_all(&d.join("dav"), ids);
        chown_all(&d.join("run"), ids);
    }
    let log = d.join("error.log");
    let child = spawn(
        Command::new(bin)
            .arg("-f")
            .arg(d.join("httpd.conf"))
            .arg("-DFOREGROUND"),
        &d.join("stdout.log"),
    );
    let mut server = Server {
        port,
        dir,
        child: Some(child),
        name: "apache2",
        log,
    };
    await_ready(&mut server, http_answers);
    Some(server)
}

/// A zip written like a Takeout part: deflated entries with their modification times.
pub fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("zip file");
    let mut zip = zip::ZipWriter::new(file);
    let when = zip::DateTime::from_date_and_time(2023, 5, 17, 9, 30, 0).expect("a date");
    for (name, bytes) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(when)
            .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("entry bytes");
    }
    zip.finish().expect("zip written");
}

/// The fixtures folder (real Takeout formats, see its README).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
