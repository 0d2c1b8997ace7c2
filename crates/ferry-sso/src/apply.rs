//! Makes the planned changes: the realm first, then groups and clients a few at a
//! time. Each client's secret goes to the secret store as soon as it exists. A
//! failed change is reported and the rest go on; running again picks up from there.

use ferry_core::error::ErrorPayload;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desired::Desired;
use crate::diff::Change;
use crate::error::SsoError;
use crate::provider::Provider;
use crate::secrets::{SecretStore, client_secret_key};

/// One step finished, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "SsoProgress")]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    pub subject: String,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepOutcome {
    pub change: Change,
    /// What went wrong, when it failed (never containing a secret).
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplyReport {
    pub steps: Vec<StepOutcome>,
    /// Client ids whose secret is now kept.
    pub secrets_kept: Vec<String>,
    /// Write requests sent to the provider by this apply.
    pub writes: u32,
}

impl ApplyReport {
    pub fn all_ok(&self) -> bool {
        self.steps.iter().all(|s| s.error.is_none())
    }
}

fn failed(e: &SsoError) -> Option<ErrorPayload> {
    Some(e.payload())
}

/// Applies `changes` (from [`crate::diff::diff`]) and makes sure every desired
/// client's secret is in `store` under `plan_id`.
pub async fn apply<P: Provider>(
    provider: &P,
    desired: &Desired,
    changes: &[Change],
    store: &dyn SecretStore,
    plan_id: &str,
    on_progress: &(dyn Fn(Progress) + Send + Sync),
) -> ApplyReport {
    let writes_before = provider.writes();
    let total = changes.len() as u32;
    let done = std::sync::atomic::AtomicU32::new(0);
    let report_step = |change: &Change, error: Option<ErrorPayload>| {
        let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        on_progress(Progress {
            done,
            total,
            subject: change.subject().to_owned(),
            ok: error.is_none(),
        });
        StepOutcome {
            change: change.clone(),
            error,
        }
    };
    let mut steps = Vec::new();

    let (realm, rest): (Vec<&Change>, Vec<&Change>) = changes
        .iter()
        .partition(|c| matches!(c, Change::CreateRealm { .. }));
    for c in &realm {
        let result = provider.apply_change(c, &desired.owner).await;
        let stop = result.is_err();
        steps.push(report_step(c, result.err().as_ref().and_then(failed)));
        if stop {
            // Nothing else can be made without the realm.
            return ApplyReport {
                steps,
                secrets_kept: Vec::new(),
                writes: (provider.writes() - writes_before) as u32,
            };
        }
    }
    // Marks and groups first: clients are bound to groups.
    let (groups, clients): (Vec<&Change>, Vec<&Change>) = rest.into_iter().partition(|c| {
        matches!(
            c,
            Change::CreateGroup { .. } | Change::Adopt { .. } | Change::SetUpRecovery
        )
    });
    let owner = &desired.owner;
    for batch in [groups, clients] {
        let outcomes: Vec<StepOutcome> = futures_util::stream::iter(batch.into_iter().cloned())
            .map(|c| async move {
                let result = provider.apply_change(&c, owner).await;
                if result.is_ok()
                    && let Change::RemoveClient { client_id } = &c
                {
                    // Its secret is of no use any more.
                    let _ = store.delete(&client_secret_key(plan_id, client_id));
                }
                report_step(&c, result.err().as_ref().and_then(failed))
            })
            .buffered(crate::http::CONCURRENCY)
            .collect()
            .await;
        steps.extend(outcomes);
    }

    // Secrets: read for every client that is there; kept anew where it differs.
    let touched: Vec<String> = steps
        .iter()
        .filter(|s| s.error.is_none())
        .filter_map(|s| match &s.change {
            Change::CreateClient { client } | Change::UpdateClient { client, .. } => {
                Some(client.client_id.clone())
            }
            _ => None,
        })
        .collect();
    let failed_ids: Vec<String> = steps
        .iter()
        .filter(|s| s.error.is_some())
        .map(|s| s.change.subject().to_owned())
        .collect();
    let wanted: Vec<_> = desired
        .clients
        .iter()
        .filter(|c| !failed_ids.contains(&c.client_id))
        .cloned()
        .collect();
    let fetched: Vec<(crate::desired::DesiredClient, Result<(), SsoError>)> =
        futures_util::stream::iter(wanted)
            .map(|c| {
                let touched = touched.contains(&c.client_id);
                async move {
                    let key = client_secret_key(plan_id, &c.client_id);
                    let kept = if touched {
                        None
                    } else {
                        store.get(&key).ok().flatten()
                    };
                    // Read every time: a secret rotated on the provider replaces the
                    // kept one (reading is not a write, so a second apply still sends none).
                    let stored = match provider.client_secret(&c.client_id).await {
                        Ok(secret) if kept.as_deref() == Some(secret.as_str()) => Ok(()),
                        Ok(secret) => store.put(&key, &secret).map_err(SsoError::from),
                        Err(e) => Err(e),
                    };
                    (c, stored)
                }
            })
            .buffered(crate::http::CONCURRENCY)
            .collect()
            .await;
    let mut secrets_kept = Vec::new();
    for (c, stored) in fetched {
        match stored {
            Ok(()) => secrets_kept.push(c.client_id.clone()),
            Err(e) => steps.push(StepOutcome {
                change: Change::UpdateClient {
                    client: c,
                    fields: vec!["secret".into()],
                },
                error: failed(&e),
            }),
        }
    }
    ApplyReport {
        steps,
        secrets_kept,
        writes: (provider.writes() - writes_before) as u32,
    }
}
