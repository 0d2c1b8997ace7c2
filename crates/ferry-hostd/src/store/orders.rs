//! Recording an order: idempotency, who owns each domain, and the organisation's quotas,
//! all in one transaction.

use chrono::Utc;
use ferry_hosting::OrderRequest;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use crate::config::Quotas;

/// Who is asking: the token's name and the organisation it acts for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub org: String,
    pub org_name: String,
}

/// An order as `create` records it.
pub struct NewOrder<'a> {
    pub key: &'a str,
    /// The body's SHA-256: the same key with another body is a conflict.
    pub request_hash: &'a str,
    pub server: &'a str,
    pub order: &'a OrderRequest,
}

/// What `create` did with an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    New(Uuid),
    /// The same idempotency key with the same body: the order made the first time.
    Existing(Uuid),
    /// The same idempotency key with a different body.
    Conflict,
    /// Nothing was stored, for this reason.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Another organisation ordered this domain first.
    DomainTaken {
        domain: String,
    },
    /// This organisation's app on the domain lives elsewhere or runs another recipe.
    DomainElsewhere {
        domain: String,
        detail: String,
    },
    /// abra has the domain on a server although no order made it (the operator's own).
    DomainUnmanaged {
        domain: String,
        server: String,
    },
    QueuedApps {
        limit: u32,
    },
    StoredBytes {
        limit: u64,
    },
}

impl Store {
    /// Records a new order for `caller`'s organisation, or finds the one made with the
    /// same idempotency key. Secret values are stripped before anything is stored.
    /// `on_disk(domain)` names a server where abra already has the domain's `.env`.
    pub fn create(
        &mut self,
        caller: &Caller,
        new: NewOrder<'_>,
        quotas: Quotas,
        on_disk: &dyn Fn(&str) -> Option<String>,
    ) -> rusqlite::Result<Created> {
        let NewOrder {
            key,
            request_hash,
            server,
            order,
        } = new;
        let tx = self.db.transaction()?;
        let existing: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT id, request_hash, org FROM orders WHERE token = ?1 AND idempotency_key = ?2",
                params![caller.token, key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((id, hash, org)) = existing {
            return Ok(
                if hash == request_hash && org.as_deref() == Some(caller.org.as_str()) {
                    Created::Existing(id.parse().expect("stored ids are uuids"))
                } else {
                    Created::Conflict
                },
            );
        }

        let waiting: i64 = tx.query_row(
            "SELECT COUNT(*) FROM apps a JOIN orders o ON o.id = a.order_id
             WHERE o.org = ?1 AND a.state IN ('queued', 'running')",
            [&caller.org],
            |r| r.get(0),
        )?;
        if waiting as u64 + order.apps.len() as u64 > u64::from(quotas.max_queued_apps) {
            return Ok(Created::Refused(Refusal::QueuedApps {
                limit: quotas.max_queued_apps,
            }));
        }

        let mut stored = Vec::new();
        for app in &order.apps {
            let mut app = app.clone();
            app.secrets.clear();
            stored.push(serde_json::to_string(&app).expect("requests serialise"));
        }
        let held: i64 = tx.query_row(
            "SELECT COALESCE(SUM(length(a.request) + length(a.log) + length(a.message)), 0)
             FROM apps a JOIN orders o ON o.id = a.order_id WHERE o.org = ?1",
            [&caller.org],
            |r| r.get(0),
        )?;
        let adding: usize = stored.iter().map(String::len).sum();
        if held as u64 + adding as u64 > quotas.max_stored_bytes {
            return Ok(Created::Refused(Refusal::StoredBytes {
                limit: quotas.max_stored_bytes,
            }));
        }

        let now = Utc::now().to_rfc3339();
        for app in &order.apps {
            let owner: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT org, server, recipe FROM domains WHERE domain = ?1",
                    [&app.domain],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let domain = app.domain.clone();
            match owner {
                Some((org, _, _)) if org != caller.org => {
                    return Ok(Created::Refused(Refusal::DomainTaken { domain }));
                }
                Some((_, on, _)) if on != server => {
                    return Ok(Created::Refused(Refusal::DomainElsewhere {
                        domain,
                        detail: format!("your app on it is on the server {on}"),
                    }));
                }
                Some((_, _, recipe)) if recipe != app.recipe => {
                    return Ok(Created::Refused(Refusal::DomainElsewhere {
                        domain,
                        detail: format!(
                            "your app on it runs {recipe}; another recipe needs another domain"
                        ),
                    }));
                }
                Some(_) => {}
                None => {
                    if let Some(server) = on_disk(&app.domain) {
                        return Ok(Created::Refused(Refusal::DomainUnmanaged {
                            domain,
                            server,
                        }));
                    }
                    tx.execute(
                        "INSERT INTO domains (domain, org, server, recipe, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![app.domain, caller.org, server, app.recipe, now],
                    )?;
                }
            }
        }

        let id = Uuid::new_v4();
        tx.execute(
            "INSERT INTO orders (id, token, idempotency_key, request_hash, organisation, server, created_at, org, seal_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id.to_string(), caller.token, key, request_hash, caller.org_name, server, now, caller.org, order.seal_to],
        )?;
        let seq: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM apps", [], |r| r.get(0))?;
        for (i, (app, request)) in order.apps.iter().zip(&stored).enumerate() {
            let names: Vec<String> = app
                .secrets
                .iter()
                .map(|s| format!("{}:{}", s.name, s.version))
                .collect();
            tx.execute(
                "INSERT INTO apps (order_id, idx, request, secret_names, state, message, seq)
                 VALUES (?1, ?2, ?3, ?4, 'queued', 'Waiting for its turn', ?5)",
                params![
                    id.to_string(),
                    i as i64,
                    request,
                    serde_json::to_string(&names).expect("names serialise"),
                    seq + 1 + i as i64
                ],
            )?;
        }
        tx.commit()?;
        Ok(Created::New(id))
    }

    /// Cancels `org`'s order's apps that have not started. Returns their indices (so
    /// that their secrets can be dropped), or `None` if the order is not `org`'s.
    pub fn cancel(&mut self, order: Uuid, org: &str) -> rusqlite::Result<Option<Vec<u32>>> {
        let tx = self.db.transaction()?;
        let owned = tx
            .query_row(
                "SELECT 1 FROM orders WHERE id = ?1 AND org = ?2",
                params![order.to_string(), org],
                |_| Ok(()),
            )
            .optional()?;
        if owned.is_none() {
            return Ok(None);
        }
        let queued: Vec<u32> = tx
            .prepare("SELECT idx FROM apps WHERE order_id = ?1 AND state = 'queued'")?
            .query_map([order.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute(
            "UPDATE apps SET state = 'cancelled', message = 'Cancelled before it started'
             WHERE order_id = ?1 AND state = 'queued'",
            [order.to_string()],
        )?;
        tx.commit()?;
        Ok(Some(queued))
    }

    /// Puts `org`'s failed app back in the queue. False if it was not failed (or not
    /// `org`'s: the caller has checked that already).
    pub fn requeue_failed(&self, order: Uuid, index: u32, org: &str) -> rusqlite::Result<bool> {
        let seq: i64 =
            self.db
                .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM apps", [], |r| {
                    r.get(0)
                })?;
        let n = self.db.execute(
            "UPDATE apps SET state = 'queued', progress = 0, message = 'Waiting for its turn (retry)', seq = ?3
             WHERE order_id = ?1 AND idx = ?2 AND state = 'failed'
               AND order_id IN (SELECT id FROM orders WHERE org = ?4)",
            params![order.to_string(), index, seq, org],
        )?;
        Ok(n == 1)
    }
}
