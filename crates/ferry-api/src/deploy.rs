//! Delegating deploys: co-op profiles (tokens in the OS keyring), the order preview,
//! and orders sent, followed, retried and cancelled through the co-op's API.
//! The CLI's `deploy` commands call the same flows with their own way to find a co-op.

use ferry_core::Plan;
use ferry_core::deploy::PreviewApp;
use ferry_core::model::OrderRecord;
use ferry_core::settings::CoopProfile;
use ferry_hosting::client::Client;
use ferry_hosting::{OrderRequest, OrderStatus};
use ferry_secrets::coop_token_key;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::declare::Events;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// A hosting co-op's API, ready to call.
pub struct Coop {
    pub name: String,
    pub api_url: String,
    pub client: Client,
}

impl Coop {
    pub fn new(name: String, api_url: String, token: &str) -> Answer<Self> {
        let client = Client::new(&api_url, token)?;
        Ok(Coop {
            name,
            api_url,
            client,
        })
    }

    /// The co-op of a saved profile, with its token from the keyring.
    pub fn from_profile(host: &impl Host, coop_id: &str) -> Answer<Self> {
        Self::saved(host, coop_id, None)
    }

    /// The co-op of a saved profile named by its id or its name (any case), with
    /// `token` when one is given (the command line's environment), else the profile's
    /// token from the keyring: how the window and the CLI both find a co-op.
    pub fn saved(host: &impl Host, which: &str, token: Option<String>) -> Answer<Self> {
        let profile = host
            .with_library(|lib| lib.coop_profiles())?
            .into_iter()
            .find(|p| p.id == which || p.name.eq_ignore_ascii_case(which))
            .ok_or(ApiError::NoCoop)?;
        let token = match token {
            Some(token) => token,
            None => host
                .keyring()
                .get(&coop_token_key(&profile.id))?
                .ok_or_else(|| ApiError::NoToken {
                    name: profile.name.clone(),
                })?,
        };
        Coop::new(profile.name, profile.api_url, &token)
    }
}

/// The order for the plan's apps, with the OIDC client secrets of the apps whose
/// sign-on works (from the keyring only). Also says which apps got one.
pub fn order_for(host: &impl Host, plan: &Plan) -> Answer<(OrderRequest, Vec<String>)> {
    let mut order = ferry_core::deploy::order_request(plan)
        .map_err(|problems| ApiError::DeployNotReady { problems })?;
    let wired = ferry_sso::session::hand_on(&mut order, plan, host.vault())?;
    tracing::info!(?wired, "OIDC client secrets handed on to the order");
    Ok((order, wired))
}

/// A new order record, not sent yet: its idempotency key is kept with the plan
/// before sending, so sending again after a crash cannot make a second order.
pub(crate) fn pending_record(host: &impl Host, coop: &Coop) -> OrderRecord {
    OrderRecord {
        idempotency_key: Uuid::new_v4().to_string(),
        order_id: None,
        coop_name: coop.name.clone(),
        api_url: coop.api_url.clone(),
        submitted_at: host.now(),
        status: None,
    }
}

/// The plan with its order kept in it, and the order as the co-op took it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Submitted {
    pub plan: Plan,
    pub record: OrderRecord,
    /// The apps whose single sign-on secrets went with the order.
    pub wired: Vec<String>,
}

/// Orders the plan's apps from `coop`, safe against a crash or a lost answer at any
/// moment — the one flow the window and the CLI both use, each with its own `keep`
/// (the library; the plan file), which answers the plan as kept (its new revision):
/// 1. the order's record and idempotency key go into the plan and are kept before
///    anything is sent (a record left unsent by an earlier try is sent again under
///    its own key, so the co-op sees one order, not two);
/// 2. the order is sent under that key;
/// 3. the record the co-op took replaces it and the plan is kept again.
///
/// A refusal (bad token, invalid order) takes the record out again; when the answer
/// may simply have been lost (timeout, unreachable, server error) it stays, to be
/// sent again under the same key.
pub async fn order(
    host: &impl Host,
    mut plan: Plan,
    coop: &Coop,
    mut keep: impl FnMut(&Plan) -> Answer<Plan>,
) -> Answer<Submitted> {
    let (request, wired) = order_for(host, &plan)?;
    let unsent = plan
        .deploy
        .orders
        .iter()
        .rposition(|o| o.order_id.is_none() && o.api_url == coop.api_url);
    let at = match unsent {
        Some(i) => i,
        None => {
            plan.deploy.orders.push(pending_record(host, coop));
            let at = plan.deploy.orders.len() - 1;
            plan = keep(&plan)?;
            at
        }
    };
    match send(coop, &plan.deploy.orders[at], &request).await {
        Ok(record) => {
            plan.deploy.orders[at] = record.clone();
            plan = keep(&plan)?;
            Ok(Submitted {
                plan,
                record,
                wired,
            })
        }
        Err(e) => {
            if matches!(&e, ApiError::Hosting(c) if !c.may_have_arrived()) {
                plan.deploy.orders.remove(at);
                keep(&plan)?;
            }
            Err(e)
        }
    }
}

/// Sends the order under `record`'s key; answers the record as the co-op took it.
pub(crate) async fn send(
    coop: &Coop,
    record: &OrderRecord,
    order: &OrderRequest,
) -> Answer<OrderRecord> {
    let accepted = coop.client.submit(&record.idempotency_key, order).await?;
    let status = coop.client.status(accepted.id).await.ok();
    Ok(OrderRecord {
        order_id: Some(accepted.id.to_string()),
        status,
        ..record.clone()
    })
}

pub fn order_id(text: &str) -> Answer<Uuid> {
    text.trim().parse().map_err(|_| ApiError::NotAnOrder {
        id: text.to_owned(),
    })
}

// The commands.

pub async fn coops(host: &impl Host) -> Answer<Vec<CoopProfile>> {
    host.with_library(|lib| lib.coop_profiles())
}

/// Saves a profile (a new one if `id` is empty); a token given goes to the keyring
/// first, so a profile is never saved without it.
pub async fn save_coop(
    host: &impl Host,
    mut profile: CoopProfile,
    token: Option<String>,
) -> Answer<Vec<CoopProfile>> {
    if profile.id.trim().is_empty() {
        profile.id = Uuid::new_v4().to_string();
    }
    // Refuse an address the client would refuse, before anything is stored.
    Client::new(&profile.api_url, "")?;
    if let Some(token) = token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        host.keyring().put(&coop_token_key(&profile.id), token)?;
    }
    host.with_library(|lib| lib.save_coop_profile(&profile))
}

pub async fn delete_coop(host: &impl Host, id: String) -> Answer<Vec<CoopProfile>> {
    host.keyring().delete(&coop_token_key(&id))?;
    host.with_library(|lib| lib.delete_coop_profile(&id))
}

/// The apps the order would carry, for the plan as it is on screen.
pub async fn preview(_host: &impl Host, plan: Plan) -> Answer<Vec<PreviewApp>> {
    Ok(ferry_core::deploy::preview(&plan))
}

/// Orders the plan's apps from the co-op of a saved profile: the window's
/// `deploy_submit`, with the plan kept in the library at each step (`order`).
pub async fn submit(host: &impl Host, plan: Plan, coop_id: String) -> Answer<Submitted> {
    let coop = Coop::from_profile(host, &coop_id)?;
    order(host, plan, &coop, |p| {
        host.with_library(|lib| lib.save_edit(p))
            .map(|saved| saved.plan)
    })
    .await
}

/// Follows an order until every app is final, sending each new status.
pub async fn follow(
    host: &impl Host,
    coop_id: String,
    order_id: String,
    events: Events<'_, OrderStatus>,
) -> Answer<OrderStatus> {
    let coop = Coop::from_profile(host, &coop_id)?;
    let id = self::order_id(&order_id)?;
    Ok(coop.client.follow(id, |s| events.send(s)).await?)
}

pub async fn retry(
    host: &impl Host,
    coop_id: String,
    order_id: String,
    index: u32,
) -> Answer<OrderStatus> {
    let coop = Coop::from_profile(host, &coop_id)?;
    // Secrets the app was given are not kept by the co-op; the retry goes without.
    Ok(coop
        .client
        .retry(self::order_id(&order_id)?, index, &[])
        .await?)
}

pub async fn cancel(host: &impl Host, coop_id: String, order_id: String) -> Answer<OrderStatus> {
    let coop = Coop::from_profile(host, &coop_id)?;
    Ok(coop.client.cancel(self::order_id(&order_id)?).await?)
}
