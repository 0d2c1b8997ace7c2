//! `ferry-cli sso plan|apply|verify|members`: single sign-on for a plan file's apps.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ferry_api::ApiError;
use ferry_api::sso::Connection;
use ferry_core::Plan;
use ferry_core::model::IdpKind;
use ferry_sso::desired::Desired;
use ferry_sso::diff::{Change, Extras};
use ferry_sso::names::{RenameKind, Renamed};
use ferry_sso::owner::{Conflict, ObjectKind, Orphan};
use ferry_sso::secrets::Vault;
use ferry_sso::verify::{AppProblem, to_results};

use crate::Failure;
use crate::host::{CLIENT_ID_ENV, CLIENT_SECRET_ENV, CliHost, PASSWORD_ENV, TOKEN_ENV, USER_ENV};

#[derive(Subcommand)]
pub enum SsoCommand {
    /// Show what would be created or changed on the identity provider (changes nothing),
    /// what is someone else's, and clients left from apps no longer planned.
    Plan {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        extras: ExtrasArgs,
    },
    /// Create or update the realm, groups and one client per app; secrets go to the keyring.
    Apply {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        extras: ExtrasArgs,
    },
    /// Check each app's sign-on (client, secret, OIDC discovery); results go into the plan file.
    Verify {
        #[command(flatten)]
        target: Target,
    },
    /// Add members from a CSV file (name,email,groups) and invite them.
    ///
    /// Exit codes: 0 every row is done (or, with --dry-run, would be); 3 some rows
    /// failed or would fail (each is named), or could not be read from the file; 1 nothing
    /// was done (plan, file or provider unusable).
    Members {
        csv: PathBuf,
        #[command(flatten)]
        target: Target,
        /// Only say what would happen.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What a person asks for beyond bringing the provider in line with the plan.
#[derive(Args)]
pub struct ExtrasArgs {
    /// Also delete the clients this organisation's Ferry made for apps no longer in the plan.
    #[arg(long)]
    remove_orphans: bool,
    /// Authentik without a recovery flow: set one up from its own password stages, so
    /// that new members get a link to set their password (changes the whole install's brand).
    #[arg(long)]
    set_up_recovery: bool,
}

impl ExtrasArgs {
    fn extras(&self) -> Extras {
        Extras {
            remove_orphans: self.remove_orphans,
            set_up_recovery: self.set_up_recovery,
        }
    }
}

/// Exit code of `sso members` when some rows failed or would fail.
const ROWS_FAILED: u8 = 3;

#[derive(Args)]
pub struct Target {
    /// The .ferry.json plan file.
    file: PathBuf,
    /// The identity provider (default: the plan's choice).
    #[arg(long, value_parser = parse_idp)]
    idp: Option<IdpKind>,
    /// Its address, e.g. https://login.example.org (default: the plan's).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Keycloak's realm, or the organisation's short name on Authentik and Rauthy (the
    /// prefix of its client ids and groups); default: the plan's, else made from its name.
    #[arg(long)]
    realm: Option<String>,
    /// A certificate authority file (PEM) for a provider with its own CA.
    #[arg(long, value_name = "FILE")]
    ca_file: Option<PathBuf>,
    /// Print JSON for machines instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_idp(s: &str) -> Result<IdpKind, String> {
    IdpKind::ALL
        .into_iter()
        .find(|k| k.key() == s)
        .ok_or_else(|| format!("\"{s}\" is not one of keycloak, authentik, rauthy"))
}

fn failure(e: impl std::fmt::Display) -> Failure {
    Failure::new(e.to_string())
}

/// What to give when no admin credentials were found.
fn credentials_hint(idp: IdpKind) -> String {
    match idp {
        IdpKind::Keycloak => format!(
            "give Keycloak admin credentials: {USER_ENV} and {PASSWORD_ENV} (master realm admin), \
             or {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} (service account)"
        ),
        IdpKind::Authentik => format!("set {TOKEN_ENV} to an Authentik API token"),
        IdpKind::Rauthy => format!("set {TOKEN_ENV} to a Rauthy API key (name$secret)"),
    }
}

/// Client secrets go to the OS keyring; without one they live only for this run.
fn warn_if_no_keyring(vault: &Vault) {
    if !vault.is_secure() {
        eprintln!(
            "ferry-cli: warning: no unlocked keyring here; client secrets are kept only while this command runs"
        );
    }
}

struct Session {
    plan: Plan,
    host: CliHost,
    connection: Connection,
}

impl Session {
    fn desired(&self) -> &Desired {
        &self.connection.desired
    }
}

/// The plan file with the command line's overrides, signed in to its provider by the
/// same flow the app uses (`ferry_api::sso::Connection`).
fn open(t: &Target) -> Result<Session, Failure> {
    let mut plan = ferry_core::exchange::read_plan_file(&t.file)?;
    if let Some(idp) = t.idp {
        plan.sso.idp = Some(idp);
    }
    if let Some(url) = &t.url {
        plan.sso.url = url.clone();
    }
    if let Some(realm) = &t.realm {
        plan.sso.realm = realm.clone();
    }
    let mut host = CliHost::new(None);
    host.ca_file = t.ca_file.clone();
    let connection = Connection::open(&host, &plan).map_err(|e| match e {
        ApiError::SsoNotSignedIn => {
            Failure::new(credentials_hint(plan.sso.idp.unwrap_or(IdpKind::DEFAULT)))
        }
        other => Failure::from(other),
    })?;
    Ok(Session {
        plan,
        host,
        connection,
    })
}

fn kind_word(what: ObjectKind) -> &'static str {
    match what {
        ObjectKind::Realm => "realm",
        ObjectKind::Client => "client",
        ObjectKind::Group => "group",
        ObjectKind::Flow => "sign-in flow",
    }
}

fn describe(change: &Change) -> String {
    match change {
        Change::CreateRealm { realm } => format!("create realm {realm}"),
        Change::Adopt { what, name } => format!(
            "adopt {} {name}: an earlier Ferry made it for this organisation; mark it as its own",
            kind_word(*what)
        ),
        Change::RemoveClient { client_id } => {
            format!("remove client {client_id} (its app is no longer in the plan)")
        }
        Change::SetUpRecovery => "set up a recovery flow (ferry-recovery) on Authentik's brand, from its own password stages, so that new members get a link to set their password".into(),
        Change::CreateGroup { name } => format!("create group {name}"),
        Change::CreateClient { client } => format!(
            "create client {} for {} ({})",
            client.client_id,
            client.recipe,
            client
                .settings
                .redirect_uris
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Change::UpdateClient { client, fields } => {
            format!("update client {} ({})", client.client_id, fields.join(", "))
        }
    }
}

/// Who may sign in to each app, in the plan's language.
fn print_access(desired: &Desired, lang: ferry_core::Language) {
    for c in &desired.clients {
        let key = if c.access_enforced {
            "sso.access.enforced"
        } else {
            "sso.access.not_enforced"
        };
        let text = ferry_core::messages::text(lang, key, &[("group", &c.access_group)]);
        println!("  {}: {text}", c.recipe);
    }
}

fn print_skipped(desired: &Desired) {
    for s in &desired.skipped {
        let why = match s.reason {
            ferry_sso::desired::SkipReason::Unknown => "Ferry does not know how it signs in",
            ferry_sso::desired::SkipReason::PaidEdition => "single sign-on needs a paid edition",
            ferry_sso::desired::SkipReason::NeedsAdapter => "needs an extra adapter service",
            ferry_sso::desired::SkipReason::ViaHomeserver => {
                "signs in through the Matrix homeserver"
            }
            ferry_sso::desired::SkipReason::RedirectAfterSetup => {
                "it makes its return address once it runs: add the client by hand then"
            }
        };
        println!("  no client for {}: {why}", s.recipe);
    }
}

fn describe_conflict(c: &Conflict) -> String {
    let whose = match &c.owner {
        Some(org) => format!("belongs to {org}, another organisation on this sign-in service"),
        None => "exists, but Ferry did not make it for this organisation".into(),
    };
    format!(
        "{} {} {whose}: Ferry leaves it alone. Choose another short name for your organisation (--realm), or ask the service's administrator",
        kind_word(c.what),
        c.name
    )
}

fn describe_orphan(o: &Orphan) -> String {
    format!(
        "client {} (\"{}\") is still live with a valid secret, but its app is no longer in the plan: remove it with --remove-orphans",
        o.client_id, o.name
    )
}

fn describe_renamed(r: &Renamed) -> String {
    let who = match r.what {
        RenameKind::Organisation => "the organisation's name",
        RenameKind::Member => "the name",
    };
    format!(
        "{who} \"{}\" is kept as \"{}\": the identity provider does not take it as it is",
        r.before, r.after
    )
}

fn describe_problem(p: &AppProblem) -> String {
    match p {
        AppProblem::ClientMissing => "no client yet: run `ferry-cli sso apply`".into(),
        AppProblem::ClientDiffers { fields } => {
            format!(
                "the client differs ({}): run `ferry-cli sso apply`",
                fields.join(", ")
            )
        }
        AppProblem::SecretNotKept => "its secret is not kept here: run `ferry-cli sso apply`".into(),
        AppProblem::SecretChanged => {
            "the provider's secret changed: run `ferry-cli sso apply` to fetch it".into()
        }
        AppProblem::Discovery { detail } => format!("OIDC discovery failed: {detail}"),
        AppProblem::IssuerMismatch { expected } => format!(
            "discovery answers for another issuer than {expected}: check the provider's public address"
        ),
        AppProblem::Provider { message, .. } => message.clone(),
        AppProblem::NotBound => "no application uses its client (or another application has its name): nobody can sign in; run `ferry-cli sso apply`, or rename the other application".into(),
        AppProblem::Disabled => "its client is switched off on the provider: run `ferry-cli sso apply`".into(),
        AppProblem::ForeignRedirect { urls } => format!(
            "the provider also sends sign-ins to addresses outside the app: {}; remove them there unless they are yours",
            urls.join(" ")
        ),
        AppProblem::SignInRefused { detail } => {
            format!("a test sign-in did not reach the login page: {detail}")
        }
        AppProblem::Taken { owner } => match owner {
            Some(org) => format!("its client id belongs to {org}, another organisation: Ferry leaves it alone"),
            None => "its client id is taken by a client Ferry did not make for this organisation: rename or remove that one".into(),
        },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Runtime::new().map_err(failure)
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value).map_err(failure)?);
    Ok(())
}

pub fn run(cmd: SsoCommand) -> Result<(), Failure> {
    let rt = runtime()?;
    match cmd {
        SsoCommand::Plan { target, extras } => {
            let s = open(&target)?;
            let preview = rt.block_on(s.connection.preview(extras.extras()))?;
            if target.json {
                return print_json(
                    &serde_json::json!({"plan": preview, "skipped": s.desired().skipped}),
                );
            }
            if preview.changes.is_empty() {
                println!("Nothing to change: the provider already has everything.");
            }
            for c in &preview.changes {
                println!("  {}", describe(c));
            }
            for c in &preview.conflicts {
                println!("  not touched: {}", describe_conflict(c));
            }
            for o in &preview.orphans {
                println!("  left over: {}", describe_orphan(o));
            }
            for r in &preview.renamed {
                println!("  note: {}", describe_renamed(r));
            }
            if preview.recovery_missing && !extras.set_up_recovery {
                println!(
                    "  note: Authentik has no recovery flow, so new members get no link to set a password; add --set-up-recovery to set one up"
                );
            }
            println!(
                "{}:",
                ferry_core::messages::text(s.plan.language, "sso.access", &[])
            );
            print_access(s.desired(), s.plan.language);
            print_skipped(s.desired());
            Ok(())
        }
        SsoCommand::Apply { target, extras } => {
            let s = open(&target)?;
            warn_if_no_keyring(ferry_api::Host::vault(&s.host));
            let json = target.json;
            let outcome = rt.block_on(s.connection.apply(&s.host, extras.extras(), &|p| {
                if !json {
                    let mark = if p.ok { "done" } else { "FAILED" };
                    println!("  [{}/{}] {} {mark}", p.done, p.total, p.subject);
                }
            }))?;
            let report = outcome.report.as_ref().expect("an apply reports");
            save_results(&target.file, s.plan, &outcome.checks)?;
            if json {
                print_json(&serde_json::json!({"report": report, "checks": outcome.checks}))?;
            } else {
                for step in report.steps.iter().filter(|s| s.error.is_some()) {
                    let message = &step.error.as_ref().expect("filtered").message;
                    println!("  {}: {message}", describe(&step.change));
                }
                println!(
                    "{} change(s), {} write(s); secrets kept for: {}",
                    report.steps.len(),
                    report.writes,
                    report.secrets_kept.join(", ")
                );
            }
            if report.all_ok() {
                Ok(())
            } else {
                Err(Failure::new(
                    "some changes failed; run `ferry-cli sso apply` again to finish",
                ))
            }
        }
        SsoCommand::Verify { target } => {
            let s = open(&target)?;
            warn_if_no_keyring(ferry_api::Host::vault(&s.host));
            let verified = rt.block_on(s.connection.verify(&s.host));
            let (checks, outcome_orphans) = (verified.checks, verified.orphans);
            let ok = checks.iter().all(|c| c.works());
            save_results(&target.file, s.plan, &checks)?;
            if target.json {
                print_json(&checks)?;
            } else {
                for c in &checks {
                    if c.works() {
                        println!("  {}: works (issuer {})", c.recipe, c.issuer);
                    }
                    for p in &c.problems {
                        println!("  {}: {}", c.recipe, describe_problem(p));
                    }
                }
                for o in &outcome_orphans {
                    println!("  left over: {}", describe_orphan(o));
                }
            }
            if ok {
                Ok(())
            } else {
                Err(Failure::new("single sign-on is not ready for every app"))
            }
        }
        SsoCommand::Members {
            csv,
            target,
            dry_run,
        } => {
            let s = open(&target)?;
            let text = std::fs::read_to_string(&csv)
                .map_err(|e| Failure::new(format!("cannot read {}: {e}", csv.display())))?;
            let list =
                ferry_sso::members::parse_csv(&text, &s.desired().groups).map_err(failure)?;
            for p in &list.problems {
                println!(
                    "  line {}: {}{}",
                    p.line,
                    p.code.replace('_', " "),
                    p.value
                        .as_deref()
                        .map(|v| format!(" ({v})"))
                        .unwrap_or_default()
                );
            }
            let outcomes = rt.block_on(s.connection.import_members(&list.members, dry_run))?;
            let failed = outcomes.iter().filter(|o| o.failed()).count() + list.problems.len();
            let done = if failed == 0 {
                Ok(())
            } else {
                let verb = if dry_run { "would fail" } else { "failed" };
                Err(Failure::with_code(
                    format!("{failed} row(s) {verb} or could not be read; see above"),
                    ROWS_FAILED,
                ))
            };
            if target.json {
                print_json(&serde_json::json!({"problems": list.problems, "members": outcomes}))?;
                return done;
            }
            for o in &outcomes {
                let what = match (&o.error, o.created, o.added_to.is_empty()) {
                    (Some(e), _, _) => format!("FAILED: {}", e.message),
                    (None, true, _) => format!("new, in {}", o.added_to.join(", ")),
                    (None, false, false) => format!("added to {}", o.added_to.join(", ")),
                    (None, false, true) => "already there".to_owned(),
                };
                let prefix = match (&o.error, dry_run) {
                    (Some(_), true) => "would have ",
                    (None, true) => "would be ",
                    _ => "",
                };
                println!("  {}: {prefix}{what}", o.email);
                if let Some(r) = &o.renamed {
                    println!("    note: {}", describe_renamed(r));
                }
                if let Some(invite) = &o.invite {
                    println!("    invitation: {}", describe_invite(invite));
                }
            }
            done
        }
    }
}

/// An invitation as what it is: never "sent" without the provider's word for it.
fn describe_invite(invite: &ferry_sso::provider::Invite) -> String {
    use ferry_sso::provider::Invite;
    match invite {
        Invite::EmailSent => "e-mailed by the identity provider".into(),
        Invite::EmailRequested => {
            "e-mail asked of the identity provider; Ferry cannot tell whether it has a mail server: check its SMTP settings (Rauthy: SMTP_URL and its log at start) and ask the member whether it arrived"
                .into()
        }
        Invite::Link { url } => format!("send them this link: {url}"),
        Invite::NotPossible { reason } => match reason.as_str() {
            "no_smtp" => "not sent: the identity provider has no e-mail server".into(),
            "no_recovery_flow" => {
                "no link: Authentik has no recovery flow; set one up with `ferry-cli sso apply --set-up-recovery` before adding members, so that each gets a link".into()
            }
            other => format!("not possible ({other})"),
        },
    }
}

fn save_results(
    file: &Path,
    mut plan: Plan,
    checks: &[ferry_sso::verify::AppCheck],
) -> Result<(), Failure> {
    plan.sso.results = to_results(checks);
    plan.sso.verified_at = Some(chrono::Utc::now());
    ferry_core::exchange::write_plan_file(file, &plan)?;
    Ok(())
}
