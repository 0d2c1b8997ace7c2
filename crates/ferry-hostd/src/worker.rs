//! One worker thread per abra server: takes the next queued app for that server
//! (organisations in turn) and carries it out, so a server never runs two jobs at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use ferry_hosting::handover::{seal, sign_in_recipe};
use ferry_hosting::{AppState, Handover, SuppliedSecret};
use uuid::Uuid;

use crate::runner::{self, Abra, Observer, Step};
use crate::store::{Readers, Store};

/// Supplied secrets by (order, app index), in memory only.
pub type Secrets = Mutex<HashMap<(Uuid, u32), Vec<SuppliedSecret>>>;

pub struct Shared {
    /// The one writer connection. Never held across an `.await`.
    pub store: Mutex<Store>,
    pub readers: Readers,
    pub secrets: Secrets,
    pub abra: Abra,
    /// Where a deployed sign-in service answers (`{domain}` replaced).
    sign_in_address: String,
    wake: (Mutex<u64>, Condvar),
    pub stop: AtomicBool,
}

impl Shared {
    pub fn new(store: Store, readers: Readers, abra: Abra) -> Self {
        Shared {
            store: Mutex::new(store),
            readers,
            secrets: Mutex::new(HashMap::new()),
            abra,
            sign_in_address: "https://{domain}".into(),
            wake: (Mutex::new(0), Condvar::new()),
            stop: AtomicBool::new(false),
        }
    }

    pub fn with_sign_in_address(mut self, template: &str) -> Self {
        template.clone_into(&mut self.sign_in_address);
        self
    }

    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn secrets(&self) -> std::sync::MutexGuard<'_, HashMap<(Uuid, u32), Vec<SuppliedSecret>>> {
        self.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tells the workers there may be new work.
    pub fn notify(&self) {
        let (lock, cv) = &self.wake;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        cv.notify_all();
    }

    fn wait(&self) {
        let (lock, cv) = &self.wake;
        let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        let _ = cv.wait_timeout(guard, Duration::from_millis(500));
    }
}

pub fn spawn(shared: Arc<Shared>, server: String) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name(format!("jobs {server}"))
        .spawn(move || {
            while !shared.stop.load(Ordering::Relaxed) {
                let job = shared.store().take_next(&server);
                match job {
                    Ok(Some(job)) => run_job(&shared, job),
                    Ok(None) => shared.wait(),
                    Err(e) => {
                        tracing::error!(error = %e, "could not read the job queue");
                        shared.wait();
                    }
                }
            }
        })
        .expect("start a worker thread")
}

/// Records each step and each abra process as the job goes.
struct Progress<'a> {
    shared: &'a Shared,
    order: Uuid,
    index: u32,
    done: u8,
}

impl Observer for Progress<'_> {
    fn step(&mut self, step: Step) {
        let _ = self
            .shared
            .store()
            .progress(self.order, self.index, step, self.done);
        self.done += 1;
    }
    fn spawned(&mut self, pid: u32) {
        let running = crate::reaper::identify(pid);
        let _ = self.shared.store().spawned(self.order, self.index, running);
    }
    fn exited(&mut self) {
        let _ = self.shared.store().spawned(self.order, self.index, None);
    }
    fn env_written(&mut self) {
        let _ = self
            .shared
            .store()
            .forget_env_values(self.order, self.index);
    }
}

fn run_job(shared: &Shared, mut job: crate::store::Job) {
    let (order, index) = (job.order, job.index);
    let wanted = shared
        .store()
        .secret_names(order, index)
        .unwrap_or_default();
    let supplied = shared.secrets().remove(&(order, index)).unwrap_or_default();
    if supplied.len() < wanted.len() {
        let _ = shared.store().finish(
            order,
            index,
            AppState::Failed,
            "Its secrets are no longer here (the server restarted); retry it with its secrets",
            None,
            "",
        );
        return;
    }
    job.app.secrets = supplied;
    tracing::info!(%order, index, org = %job.org, recipe = %job.app.recipe, domain = %job.app.domain, "job started");
    let progress = Progress {
        shared,
        order,
        index,
        done: 0,
    };
    // A sign-in service in an order that sent a key: this server makes its admin
    // credential, and it leaves this process only sealed to that key.
    let sign_in = sign_in_recipe(&job.app.recipe).filter(|_| job.seal_to.is_some());
    let admin = sign_in.map(|r| runner::AdminSecret::generate(r.secret));
    let result = runner::run_with(
        &shared.abra,
        &job.server,
        &job.app,
        admin.as_ref(),
        progress,
    );
    if let (Ok(_), Some(recipe), Some(admin), Some(to)) = (&result, sign_in, &admin, &job.seal_to) {
        let handover = seal(to, &admin.value).map(|sealed| Handover {
            login: recipe.login,
            username: recipe.username.map(str::to_owned),
            address: shared.sign_in_address.replace("{domain}", &job.app.domain),
            sealed: Some(sealed),
        });
        match handover {
            Ok(h) => {
                if let Err(e) = shared.store().set_handover(order, index, &h) {
                    tracing::error!(error = %e, %order, index, "could not keep the sealed admin credential");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, %order, index, "could not seal the admin credential")
            }
        }
    }
    drop(admin);
    drop(job);
    let store = shared.store();
    let saved = match &result {
        Ok(out) => store.finish(
            order,
            index,
            AppState::Deployed,
            &format!("Deployed {}", out.deployed),
            Some(&out.deployed),
            &out.log,
        ),
        Err(e) => store.finish(
            order,
            index,
            AppState::Failed,
            &e.to_string(),
            None,
            e.log(),
        ),
    };
    if let Err(e) = saved {
        tracing::error!(error = %e, %order, index, "could not record a job's outcome");
    }
    match result {
        Ok(out) => tracing::info!(%order, index, deployed = %out.deployed, "job deployed"),
        Err(e) => tracing::warn!(%order, index, error = %e, "job failed"),
    }
}
