//! `ferry-cli sso plan|apply|verify|members`: single sign-on for a plan file's apps.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ferry_api::ApiError;
use ferry_api::sso::Connection;
use ferry_core::model::IdpKind;
use ferry_core::{CoreError, Plan};
use ferry_sso::desired::Desired;
use ferry_sso::diff::{Change, Extras};
use ferry_sso::names::{RenameKind, Renamed};
use ferry_sso::owner::{Conflict, ObjectKind, Orphan};
use ferry_sso::secrets::Vault;
use ferry_sso::verify::AppProblem;

use crate::host::{CLIENT_ID_ENV, CLIENT_SECRET_ENV, CliHost, PASSWORD_ENV, TOKEN_ENV, USER_ENV};
use crate::{Failure, Say};

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

impl SsoCommand {
    pub fn plan_file(&self) -> &Path {
        match self {
            SsoCommand::Plan { target, .. }
            | SsoCommand::Apply { target, .. }
            | SsoCommand::Verify { target }
            | SsoCommand::Members { target, .. } => &target.file,
        }
    }
}

fn parse_idp(s: &str) -> Result<IdpKind, String> {
    IdpKind::ALL
        .into_iter()
        .find(|k| k.key() == s)
        .ok_or_else(|| Say::computer().t("cli.sso.idp_unknown", &[("idp", s)]))
}

/// What to give when no admin credentials were found.
fn credentials_hint(idp: IdpKind, say: &Say) -> String {
    match idp {
        IdpKind::Keycloak => say.t(
            "cli.sso.credentials.keycloak",
            &[
                ("user_env", USER_ENV),
                ("password_env", PASSWORD_ENV),
                ("client_id_env", CLIENT_ID_ENV),
                ("client_secret_env", CLIENT_SECRET_ENV),
            ],
        ),
        IdpKind::Authentik => say.t("cli.sso.credentials.authentik", &[("env", TOKEN_ENV)]),
        IdpKind::Rauthy => say.t("cli.sso.credentials.rauthy", &[("env", TOKEN_ENV)]),
    }
}

/// Client secrets go to the OS keyring; without one they live only for this run.
fn warn_if_no_keyring(vault: &Vault, say: &Say) {
    if !vault.is_secure() {
        eprintln!("ferry-cli: {}", say.t("cli.sso.no_password_store", &[]));
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
fn open(t: &Target, say: &Say) -> Result<Session, Failure> {
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
        ApiError::SsoNotSignedIn => Failure::new(credentials_hint(
            plan.sso.idp.unwrap_or(IdpKind::DEFAULT),
            say,
        )),
        other => Failure::from(other),
    })?;
    Ok(Session {
        plan,
        host,
        connection,
    })
}

fn object(what: ObjectKind, say: &Say) -> String {
    let key = match what {
        ObjectKind::Realm => "realm",
        ObjectKind::Client => "client",
        ObjectKind::Group => "group",
        ObjectKind::Flow => "flow",
    };
    say.t(&format!("sso.object.{key}"), &[])
}

/// The fields of a sign-in that differ, in words.
fn fields(fields: &[String], say: &Say) -> String {
    let words: Vec<String> = fields
        .iter()
        .map(|f| {
            let key = format!("sso.field.{f}");
            if ferry_core::messages::exists(&key) {
                say.t(&key, &[])
            } else {
                f.clone()
            }
        })
        .collect();
    words.join(", ")
}

fn describe(change: &Change, say: &Say) -> String {
    match change {
        Change::CreateRealm { realm } => say.t("sso.change.realm", &[("name", realm)]),
        Change::Adopt { name, .. } => say.t("sso.change.adopt", &[("name", name)]),
        Change::RemoveClient { client_id } => say.t("sso.change.remove", &[("name", client_id)]),
        Change::SetUpRecovery => say.t("sso.change.recovery", &[]),
        Change::CreateGroup { name } => say.t("sso.change.group", &[("name", name)]),
        Change::CreateClient { client } => {
            let uris: Vec<&str> = client
                .settings
                .redirect_uris
                .iter()
                .map(String::as_str)
                .collect();
            say.t(
                "cli.sso.change.client",
                &[
                    ("name", &client.client_id),
                    ("app", &client.recipe),
                    ("address", &uris.join(", ")),
                ],
            )
        }
        Change::UpdateClient { client, fields: f } => say.t(
            "cli.sso.change.update",
            &[
                ("name", &client.client_id),
                ("app", &client.recipe),
                ("what", &fields(f, say)),
            ],
        ),
    }
}

/// Who may sign in to each app.
fn print_access(desired: &Desired, say: &Say) {
    for c in &desired.clients {
        let key = if c.access_enforced {
            "sso.access.enforced"
        } else {
            "sso.access.not_enforced"
        };
        let text = say.t(key, &[("group", &c.access_group)]);
        println!("  {}: {text}", c.recipe);
    }
}

fn print_skipped(desired: &Desired, say: &Say) {
    for s in &desired.skipped {
        let why = match s.reason {
            ferry_sso::desired::SkipReason::Unknown => "unknown",
            ferry_sso::desired::SkipReason::PaidEdition => "paid_edition",
            ferry_sso::desired::SkipReason::NeedsAdapter => "needs_adapter",
            ferry_sso::desired::SkipReason::ViaHomeserver => "via_homeserver",
            ferry_sso::desired::SkipReason::RedirectAfterSetup => "redirect_after_setup",
        };
        let why = say.t(&format!("sso.skip.{why}"), &[]);
        println!(
            "  {}",
            say.t("sso.skipped", &[("app", &s.recipe), ("why", &why)])
        );
    }
}

fn describe_conflict(c: &Conflict, say: &Say) -> String {
    let what = object(c.what, say);
    let args = [
        ("what", what.as_str()),
        ("name", &c.name),
        ("option", "--realm"),
    ];
    match &c.owner {
        Some(org) => say.t(
            "cli.sso.conflict.other",
            &[args[0], args[1], args[2], ("owner", org)],
        ),
        None => say.t("cli.sso.conflict.unknown", &args),
    }
}

fn describe_orphan(o: &Orphan, say: &Say) -> String {
    say.t("cli.sso.orphan", &[("id", &o.client_id), ("name", &o.name)])
}

fn describe_renamed(r: &Renamed, say: &Say) -> String {
    let key = match r.what {
        RenameKind::Organisation => "sso.renamed.organisation",
        RenameKind::Member => "sso.renamed.member",
    };
    say.t(key, &[("before", &r.before), ("after", &r.after)])
}

/// What keeps an app from signing in, and what to run about it.
fn describe_problem(p: &AppProblem, say: &Say) -> String {
    let key = format!("cli.sso.problem.{}", p.code());
    match p {
        AppProblem::ClientDiffers { fields: f } => say.t(&key, &[("what", &fields(f, say))]),
        AppProblem::Discovery { detail } | AppProblem::SignInRefused { detail } => {
            say.t(&key, &[("detail", detail)])
        }
        AppProblem::IssuerMismatch { expected } => say.t(&key, &[("issuer", expected)]),
        AppProblem::ForeignRedirect { urls } => say.t(&key, &[("urls", &urls.join(" "))]),
        AppProblem::Taken { owner: Some(org) } => say.t(
            "cli.sso.problem.taken_by",
            &[("owner", org), ("option", "--realm")],
        ),
        _ => say.t(&key, &[]),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Runtime::new().map_err(Failure::internal)
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let json = serde_json::to_string_pretty(value).map_err(Failure::internal)?;
    println!("{json}");
    Ok(())
}

pub fn run(cmd: SsoCommand, say: &Say) -> Result<(), Failure> {
    let rt = runtime()?;
    let note = |text: &str| say.t("cli.note", &[("text", text)]);
    match cmd {
        SsoCommand::Plan { target, extras } => {
            let s = open(&target, say)?;
            let preview = rt.block_on(s.connection.preview(extras.extras()))?;
            if target.json {
                return print_json(
                    &serde_json::json!({"plan": preview, "skipped": s.desired().skipped}),
                );
            }
            if preview.changes.is_empty() {
                println!("{}", say.t("sso.nothingToDo", &[]));
            }
            for c in &preview.changes {
                println!("  {}", describe(c, say));
            }
            for c in &preview.conflicts {
                println!("  {}", describe_conflict(c, say));
            }
            for o in &preview.orphans {
                println!("  {}", describe_orphan(o, say));
            }
            for r in &preview.renamed {
                println!("  {}", note(&describe_renamed(r, say)));
            }
            if preview.recovery_missing && !extras.set_up_recovery {
                let missing = say.t("cli.sso.recovery_missing", &[]);
                println!("  {}", note(&missing));
            }
            println!("{}:", say.t("sso.access", &[]));
            print_access(s.desired(), say);
            print_skipped(s.desired(), say);
            Ok(())
        }
        SsoCommand::Apply { target, extras } => {
            let s = open(&target, say)?;
            warn_if_no_keyring(ferry_api::Host::vault(&s.host), say);
            let json = target.json;
            let (done, failed) = (
                say.t("cli.sso.step.done", &[]),
                say.t("cli.sso.step.failed", &[]),
            );
            let outcome =
                rt.block_on(
                    s.connection
                        .apply(&s.host, s.plan.clone(), extras.extras(), &|p| {
                            if !json {
                                let mark = if p.ok { &done } else { &failed };
                                println!("  [{}/{}] {} {mark}", p.done, p.total, p.subject);
                            }
                        }),
                )?;
            let report = outcome.report.as_ref().expect("an apply reports");
            ferry_core::exchange::write_plan_file(&target.file, &outcome.plan)?;
            if json {
                print_json(&serde_json::json!({"report": report, "checks": outcome.checks}))?;
            } else {
                for step in report.steps.iter().filter(|s| s.error.is_some()) {
                    let error = step.error.as_ref().expect("filtered");
                    println!("  {}: {}", describe(&step.change, say), say.error(error));
                }
                let kept = if report.secrets_kept.is_empty() {
                    say.t("cli.none", &[])
                } else {
                    report.secrets_kept.join(", ")
                };
                println!(
                    "{}",
                    say.t(
                        "cli.sso.applied",
                        &[
                            ("changes", &report.steps.len().to_string()),
                            ("writes", &report.writes.to_string()),
                            ("kept", &kept),
                        ]
                    )
                );
            }
            if report.all_ok() {
                Ok(())
            } else {
                Err(Failure::new(say.t("cli.sso.apply_failed", &[])))
            }
        }
        SsoCommand::Verify { target } => {
            let s = open(&target, say)?;
            warn_if_no_keyring(ferry_api::Host::vault(&s.host), say);
            let verified = rt.block_on(s.connection.verify(&s.host, s.plan.clone()));
            ferry_core::exchange::write_plan_file(&target.file, &verified.plan)?;
            let (checks, outcome_orphans) = (verified.checks, verified.orphans);
            let ok = checks.iter().all(|c| c.works());
            if target.json {
                print_json(&checks)?;
            } else {
                for c in &checks {
                    if c.works() {
                        let works = say.t("cli.sso.works", &[("issuer", &c.issuer)]);
                        println!("  {}: {works}", c.recipe);
                    }
                    for p in &c.problems {
                        println!("  {}: {}", c.recipe, describe_problem(p, say));
                    }
                }
                for o in &outcome_orphans {
                    println!("  {}", describe_orphan(o, say));
                }
            }
            if ok {
                Ok(())
            } else {
                Err(Failure::new(say.t("cli.sso.not_ready", &[])))
            }
        }
        SsoCommand::Members {
            csv,
            target,
            dry_run,
        } => members(&rt, &csv, &target, dry_run, say),
    }
}

/// `sso members`: each row checked, then each person added (or, with `--dry-run`, what
/// would happen), with the exit code scripts read.
fn members(
    rt: &tokio::runtime::Runtime,
    csv: &Path,
    target: &Target,
    dry_run: bool,
    say: &Say,
) -> Result<(), Failure> {
    let s = open(target, say)?;
    let text = std::fs::read_to_string(csv).map_err(|source| CoreError::Io {
        path: csv.to_owned(),
        source,
    })?;
    let list = ferry_sso::members::parse_csv(&text, &s.desired().groups).map_err(|e| {
        Failure::from(ApiError::MembersFile {
            detail: e.to_string(),
        })
    })?;
    if !target.json {
        for p in &list.problems {
            let key = format!("sso.row.{}", p.code);
            let key = if ferry_core::messages::exists(&key) {
                key
            } else {
                "cli.sso.row.unknown".to_owned()
            };
            let line = p.line.to_string();
            let value = p.value.as_deref().unwrap_or_default();
            println!("  {}", say.t(&key, &[("line", &line), ("value", value)]));
        }
    }
    let outcomes = rt.block_on(s.connection.import_members(&list.members, dry_run))?;
    let failed = outcomes.iter().filter(|o| o.failed()).count() + list.problems.len();
    let done = if failed == 0 {
        Ok(())
    } else {
        let key = if dry_run {
            "cli.sso.members.would_fail"
        } else {
            "cli.sso.members.failed"
        };
        Err(Failure::with_code(
            say.t(key, &[("count", &failed.to_string())]),
            ROWS_FAILED,
        ))
    };
    if target.json {
        print_json(&serde_json::json!({"problems": list.problems, "members": outcomes}))?;
        return done;
    }
    let note = |text: &str| say.t("cli.note", &[("text", text)]);
    for o in &outcomes {
        let groups = o.added_to.join(", ");
        let what = match (&o.error, o.created, o.added_to.is_empty(), dry_run) {
            (Some(e), _, _, false) => say.t("sso.members.failed", &[("reason", &say.error(e))]),
            (Some(e), _, _, true) => {
                say.t("cli.sso.members.would_not", &[("reason", &say.error(e))])
            }
            (None, true, _, false) => say.t("sso.members.created", &[("groups", &groups)]),
            (None, true, _, true) => say.t("sso.members.wouldCreate", &[("groups", &groups)]),
            (None, false, false, false) => say.t("sso.members.added", &[("groups", &groups)]),
            (None, false, false, true) => say.t("sso.members.wouldAdd", &[("groups", &groups)]),
            (None, false, true, _) => say.t("sso.members.unchanged", &[]),
        };
        println!("  {}: {what}", o.email);
        if let Some(r) = &o.renamed {
            println!("    {}", note(&describe_renamed(r, say)));
        }
        if let Some(invite) = &o.invite {
            println!("    {}", describe_invite(invite, say));
        }
    }
    done
}

/// An invitation as what it is: never "sent" without the provider's word for it.
fn describe_invite(invite: &ferry_sso::provider::Invite, say: &Say) -> String {
    use ferry_sso::provider::Invite;
    match invite {
        Invite::EmailSent => say.t("sso.invite.email_sent", &[]),
        Invite::EmailRequested => {
            say.t("cli.sso.invite.email_requested", &[("setting", "SMTP_URL")])
        }
        Invite::Link { url } => say.t("sso.invite.link", &[("url", url)]),
        Invite::NotPossible { reason } => match reason.as_str() {
            "no_smtp" => say.t("sso.invite.reason.no_smtp", &[]),
            "no_recovery_flow" => say.t("cli.sso.invite.no_recovery_flow", &[]),
            other => say.t("cli.sso.invite.not_possible", &[("reason", other)]),
        },
    }
}
