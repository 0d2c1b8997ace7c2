//! Stops abra processes a killed ferry-hostd left behind. Under systemd the unit's
//! cgroup ends them with the server; started any other way, an abra child outlives a
//! SIGKILL and would finish a deploy the restarted server has marked failed.

use crate::store::Running;

/// The process `pid` as the kernel knows it now: its start time (clock ticks since
/// boot, `/proc/<pid>/stat` field 22) tells it apart from a later process that
/// reuses the id.
pub fn identify(pid: u32) -> Option<Running> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    let start = after.split_whitespace().nth(19)?.parse().ok()?;
    Some(Running {
        pid: i32::try_from(pid).ok()?,
        start,
    })
}

/// Kills the process group of each process that is still the one recorded.
/// Returns how many were stopped.
pub fn stop_leftovers(leftovers: &[Running]) -> usize {
    let mut stopped = 0;
    for l in leftovers {
        let Ok(pid) = u32::try_from(l.pid) else {
            continue;
        };
        if identify(pid) == Some(*l) {
            let group = nix::unistd::Pid::from_raw(l.pid);
            if nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL).is_ok() {
                stopped += 1;
            }
        }
    }
    stopped
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    #[test]
    fn a_process_is_known_by_its_start_time_and_a_dead_one_is_left_alone() {
        let me = identify(std::process::id()).unwrap();
        assert_eq!(me, identify(std::process::id()).unwrap());
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let running = identify(child.id()).unwrap();
        let stale = Running {
            start: running.start + 1,
            ..running
        };
        assert_eq!(
            stop_leftovers(&[stale]),
            0,
            "another process with the same id"
        );
        assert!(child.try_wait().unwrap().is_none());
        assert_eq!(stop_leftovers(&[running]), 1);
        assert!(child.wait().unwrap().code().is_none(), "killed by a signal");
    }
}
