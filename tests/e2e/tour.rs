//! Every screen, step and dialog in the real window (WebKitGTK) in all four languages
//! at 1280×800 and 1024×768, with a long organisation name and the longest option of
//! every select shown: nothing scrolls sideways, no control reaches past the window,
//! no box clips what it holds (measured with element boxes), and each step opens at
//! its top. One launch per language; the window is resized between sizes. With
//! FERRY_SCREENSHOTS set it leaves one picture per screen (docs/images/steps).

use ferry_core::examples::{Example, build};
use ferry_core::{Language, Library};
use serde_json::Value;

use crate::harness::{self, App};

const STEPS: [&str; 7] = [
    "organisation",
    "tools",
    "needs",
    "recipes",
    "sso",
    "exit",
    "deploy",
];

const SIZES: [(u64, u64); 2] = [(1280, 800), (1024, 768)];

/// Long enough to wrap in every box that shows it, with a long compound word.
const LONG_NAME: &str = "Landsforeningen for pårørende og brukere av psykisk helsevern – Helsefagarbeiderforeningen Vestland";

/// Shows the longest option of every select (without choosing it: no change event),
/// except pickers (`data-picker`: choosing acts and the select shows its first option
/// again, as the list of countries to add or the plan to switch to),
/// then lists what does not fit: the page wider than the window, a control past the
/// window's edge, a box whose content is cut off (hidden overflow) or spills out of it.
const MEASURE: &str = r#"
    for (const s of document.querySelectorAll('select:not([data-picker])')) {
        let best = -1, len = -1;
        [...s.options].forEach((o, i) => { if (o.text.length > len) { len = o.text.length; best = i; } });
        if (best >= 0) s.selectedIndex = best;
    }
    const vw = document.documentElement.clientWidth;
    const seen = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const name = (el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}${el.id ? '#' + el.id : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;
    // Inside a box that scrolls on purpose (a wide table), reaching past it is fine.
    const scrolls = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
    // Off-screen until focused, or hidden from sight on purpose.
    const aside = (el) => el.closest('.skip-link, .visually-hidden, svg');
    const found = [];
    const page = document.documentElement.scrollWidth;
    const out = page > vw ? [`the page is ${page} px wide in a ${vw} px window`] : [];
    for (const el of document.querySelectorAll('input, select, button, textarea, a, summary, label, legend, h1, h2, h3, strong, dialog')) {
        if (!seen(el) || aside(el) || scrolls(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.right > vw + 0.5 || r.left < -0.5) found.push([el, `reaches ${Math.round(r.left)}–${Math.round(r.right)} px`]);
    }
    // A box whose content is wider than it: cut off, or spilling out. Text fields
    // scroll their own text, so only their box counts (above).
    for (const el of document.body.querySelectorAll('*')) {
        if (!seen(el) || aside(el) || scrolls(el) || el.matches('input:not([type=checkbox]):not([type=radio]), textarea')) continue;
        const cs = getComputedStyle(el);
        if (cs.overflowX === 'auto' || cs.overflowX === 'scroll' || cs.display === 'inline' || el.clientWidth === 0) continue;
        if (el.scrollWidth > el.clientWidth + 1) found.push([el, `holds ${el.scrollWidth} px in ${el.clientWidth} px (${cs.overflowX === 'visible' && el.tagName !== 'SELECT' ? 'spills out' : 'cut off'})`]);
    }
    // Only the innermost culprit of each: its boxes around it spill because of it.
    const culprits = found.filter(([el]) => !found.some(([other]) => other !== el && el.contains(other)));
    const said = new Set();
    for (const [el, what] of culprits) {
        const line = `${name(el)} ${what}`;
        if (!said.has(line)) { said.add(line); out.push(line); }
    }
    return { problems: out, top: window.scrollY };
"#;

impl App {
    /// What does not fit on the screen shown now (after it has settled).
    async fn misfits(&self) -> (Vec<String>, f64) {
        self.settled().await;
        let got: Value = self.client.execute(MEASURE, vec![]).await.unwrap();
        let problems = got["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        (problems, got["top"].as_f64().unwrap_or(0.0))
    }

    async fn escape(&self) {
        use fantoccini::key::Key;
        self.press(&crate::harness::key(Key::Escape)).await;
    }
}

/// Records what does not fit on `screen`, and a screenshot of it.
async fn check(app: &App, failures: &mut Vec<String>, at: &str, screen: &str) {
    let (problems, _) = app.misfits().await;
    for p in problems {
        failures.push(format!("{at} {screen}: {p}"));
    }
    app.screenshot(&format!("tour-{at}-{screen}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_step_and_dialog_fits_in_four_languages_at_two_sizes() {
    if !harness::available() {
        return;
    }
    let mut failures: Vec<String> = Vec::new();
    for lang in Language::ALL {
        let code = lang.code();
        let data = tempfile::tempdir().unwrap();
        {
            let mut lib = Library::open_in(data.path()).unwrap();
            lib.set_app_settings(&ferry_core::settings::AppSettings {
                language: Some(lang),
            })
            .unwrap();
            let mut plan = build(Example::UnionBranch, lang);
            plan.name = LONG_NAME.into();
            plan.organisation.name = LONG_NAME.into();
            plan.exit_plan = ferry_core::exit::suggest(&plan);
            // Every row of the exit plan that has a select, filled.
            use ferry_core::model::{
                CredentialHolder, Credentials, DrillResult, Person, RestoreDrill,
            };
            let e = &mut plan.exit_plan;
            e.owners = vec![Person {
                name: "Kari Nordmann-Haugeland".into(),
                role: "Styreleder og kontaktperson".into(),
                email: "kari.nordmann-haugeland@landsforeningen.example".into(),
            }];
            e.credential_holders = ["Kari Nordmann-Haugeland", "Ola Dunk"]
                .map(|name| CredentialHolder {
                    name: name.into(),
                    role: "Styremedlem med ansvar for IT".into(),
                    holds: Credentials::Both,
                })
                .into();
            e.restore_drills = vec![RestoreDrill {
                date: "2026-11-02".parse().ok(),
                who: "Ola Dunk".into(),
                what: "Filer og e-post".into(),
                result: DrillResult::PartlyRestored,
                notes: String::new(),
            }];
            lib.import(plan).unwrap();
            lib.import(build(Example::PatientGroup, lang)).unwrap();
        }
        let app = App::launch(data.path()).await;
        for (w, h) in SIZES {
            app.client
                .set_window_size(w as u32, h as u32)
                .await
                .unwrap();
            let at = format!("{code}-{w}");

            // The library, its dialogs, the comparison and the room's set-up.
            app.find("[data-testid=library][data-loaded=true]").await;
            check(&app, &mut failures, &at, "library").await;
            app.click("[data-testid=new-plan]").await;
            app.find("[data-testid=new-plan-dialog]").await;
            check(&app, &mut failures, &at, "new-plan-dialog").await;
            app.escape().await;
            app.click("[data-testid=rename-plan]").await;
            app.find("[data-testid=rename-name]").await;
            check(&app, &mut failures, &at, "rename-dialog").await;
            app.escape().await;
            app.click("[data-testid=open-cross]").await;
            app.find("[data-testid=cross-view]").await;
            check(&app, &mut failures, &at, "compare").await;
            app.click("[data-testid=room-open-screen]").await;
            app.find("[data-testid=room-setup]").await;
            check(&app, &mut failures, &at, "room-setup").await;
            app.click("[data-testid=room-back]").await;
            app.click("[data-testid=cross-back]").await;

            // Every step of the plan with the long name, and the dialogs on them.
            app.find("[data-testid=library][data-loaded=true]").await;
            let rows = app.all("[data-testid=open-plan]").await;
            let mut opened = false;
            for row in rows {
                if row.text().await.unwrap().starts_with("Landsforeningen") {
                    row.click().await.unwrap();
                    opened = true;
                    break;
                }
            }
            assert!(opened, "the plan with the long name is in the library");
            for (i, step) in STEPS.iter().enumerate() {
                app.click(&format!("[data-testid=step-{step}]")).await;
                app.wait_until("the step to open", || async {
                    app.attr(&format!("[data-testid=step-{step}]"), "aria-current")
                        .await
                        .as_deref()
                        == Some("step")
                })
                .await;
                let (problems, top) = app.misfits().await;
                failures.extend(problems.into_iter().map(|p| format!("{at} {step}: {p}")));
                if top != 0.0 {
                    failures.push(format!("{at} {step}: opens {top} px down, not at its top"));
                }
                app.screenshot(&format!("step-{at}-{}-{step}", i + 1)).await;
                match *step {
                    "tools" => {
                        app.click("[data-testid=import-open]").await;
                        app.find("[data-testid=import-dialog]").await;
                        check(&app, &mut failures, &at, "import-dialog").await;
                        app.escape().await;
                    }
                    "needs" => {
                        app.click("[data-testid=view-board]").await;
                        app.find("[data-testid=needs-board]").await;
                        check(&app, &mut failures, &at, "needs-board").await;
                        app.click("[data-testid=view-checklist]").await;
                    }
                    "sso" | "deploy"
                        if !app.all("[data-testid=request-guide]").await.is_empty() =>
                    {
                        app.click("[data-testid=request-guide]").await;
                        app.find("[data-testid=request-guide-dialog]").await;
                        check(&app, &mut failures, &at, &format!("{step}-guide-dialog")).await;
                        app.escape().await;
                    }
                    _ => {}
                }
            }
            app.click("[data-testid=back-to-library]").await;
        }
        app.quit().await;
    }
    assert!(
        failures.is_empty(),
        "{} things do not fit:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
