//! Invitations on the real Keycloak, end to end (in `make test`, beside
//! tests/keycloak.rs): a realm without a mail server makes Ferry say "no mail
//! server"; with one (a real SMTP sink on loopback), Keycloak's execute-actions
//! e-mail arrives, its link sets a password in Keycloak's own pages and leads the
//! browser back to the app's address (the `client_id`/`redirect_uri` Ferry adds), and
//! the new password signs the member in to that app.

mod conformance;

use std::time::Duration;

use conformance::browser::{self, Person, Walk};
use conformance::keycloak_server::{self, target};
use conformance::mail_sink::{MailSink, unquote};
use conformance::{Admin, apply_once};
use ferry_sso::members::{import, parse_csv};
use ferry_sso::provider::Invite;
use ferry_sso::secrets::MemoryStore;

const NEW_PASSWORD: &str = "Invited-and-chose-this-2026";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_sets_a_password_and_leads_back_to_the_app() {
    let Some(kc) = keycloak_server::keycloak().await else {
        return;
    };
    let t = target(&kc);
    let Admin::Real(admin) = &*t.admin else {
        unreachable!()
    };
    admin.reset(&t).await.expect("a Keycloak with only master");
    let (_, report) = apply_once(&t, &MemoryStore::default()).await;
    assert!(report.all_ok(), "{report:?}");
    let desired = t.desired();
    let invite = |email: &str| {
        let csv = format!("name,email,groups\nOla Outline,{email},app-outline\n");
        let list = parse_csv(&csv, &desired.groups).expect("a valid list");
        let (provider, clients) = (t.provider(), desired.clients.clone());
        async move {
            let done = import(&provider, &list.members, &clients, false).await;
            assert!(done[0].error.is_none(), "{:?}", done[0]);
            done[0].invite.clone()
        }
    };

    // A realm as Ferry makes it has no mail server: Keycloak answers 500, Ferry says so.
    assert_eq!(
        invite("nomail@example.org").await,
        Some(Invite::NotPossible {
            reason: "no_smtp".into()
        })
    );

    let mut sink = MailSink::start().await.expect("an SMTP sink on loopback");
    admin
        .kc_realm_mail(&t, sink.port)
        .await
        .expect("the realm's mail server set");
    assert_eq!(invite("ola@example.org").await, Some(Invite::EmailSent));
    let mail = sink
        .next(Duration::from_secs(60))
        .await
        .expect("Keycloak's e-mail reached the sink");
    let mail = unquote(&mail);
    assert!(mail.contains("To: ola@example.org"), "{mail}");
    let link = mail
        .split(['"', '\n', ' ', '<', '>'])
        .find(|s| s.contains("/login-actions/action-token?"))
        .unwrap_or_else(|| panic!("no action link in {mail}"))
        .replace("&amp;", "&");
    let outline = desired
        .clients
        .iter()
        .find(|c| c.client_id == "outline")
        .expect("Outline in the plan");

    let http = browser::browser();
    let who = Person {
        username: "ola@example.org",
        password: "",
        new_password: Some(NEW_PASSWORD),
    };
    let back = match browser::walk(&http, &kc.url, &link, &who)
        .await
        .expect("the link's pages")
    {
        Walk::Left(url) => url.to_string(),
        // An info page ("Your account has been updated.") with a link back.
        Walk::Page { text, links, .. } => {
            println!("the link ended on: {text}");
            links
                .into_iter()
                .find(|l| l.starts_with(&outline.base_url))
                .unwrap_or_else(|| panic!("no way back to Outline on: {text}"))
        }
    };
    println!("the invitation led back to {back}");
    assert!(
        back.starts_with(&outline.base_url),
        "led to {back}, not to Outline's {}",
        outline.base_url
    );

    // The password Ola chose signs Ola in to Outline.
    let issuer = format!("{}/realms/{}", kc.url, desired.realm);
    let secret = admin
        .kc_client_secret(&t, "outline")
        .await
        .expect("Outline's secret");
    let redirect = outline.settings.redirect_uris.first().expect("a redirect");
    let signed = browser::sign_in(
        &issuer,
        "outline",
        &secret,
        redirect,
        &Person {
            username: "ola@example.org",
            password: NEW_PASSWORD,
            new_password: None,
        },
    )
    .await
    .expect("a sign-in");
    assert_eq!(
        signed.expect("signed in").email.as_deref(),
        Some("ola@example.org")
    );
    admin.reset(&t).await.expect("cleans up");
}
