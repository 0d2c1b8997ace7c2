//! The recipe catalogue, the needs taxonomy, the tools catalogue and recommendations.

use ferry_catalogue::recommend::{Recommendation, recommend};
use ferry_catalogue::{Catalogue, Progress, RefreshConfig, RefreshOutcome};
use ferry_core::needs::Taxonomy;
use ferry_core::tools::{SuiteShown, ToolCatalogue};
use ferry_core::{Plan, PlanId};

use crate::declare::Events;
use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

pub async fn get(host: &impl Host) -> Answer<Catalogue> {
    Ok(host.catalogue_store().load())
}

/// Downloads a newer catalogue; on failure the one in use stays as it was.
pub async fn refresh(host: &impl Host, events: Events<'_, Progress>) -> Answer<RefreshOutcome> {
    let config = RefreshConfig {
        url: host.catalogue_url(),
        ..Default::default()
    };
    let outcome = ferry_catalogue::refresh(&host.catalogue_store(), &config, |p| events.send(&p))
        .await
        .inspect_err(|e| tracing::warn!(code = e.code(), error = %e, "catalogue refresh failed"))?;
    Ok(outcome)
}

pub async fn taxonomy(_host: &impl Host) -> Answer<Taxonomy> {
    Ok(ferry_core::needs::taxonomy().clone())
}

pub async fn tools(_host: &impl Host) -> Answer<ToolCatalogue> {
    Ok(ferry_core::tools::catalogue().clone())
}

pub async fn proposed_needs(_host: &impl Host, plan: Plan) -> Answer<Vec<String>> {
    Ok(ferry_core::tools::proposed_needs(&plan))
}

pub async fn suites(_host: &impl Host, plan: Plan) -> Answer<Vec<SuiteShown>> {
    Ok(ferry_core::tools::suites_for(&plan))
}

pub async fn recommend_for(host: &impl Host, id: PlanId) -> Answer<Recommendation> {
    let plan = host.with_library(|lib| lib.get(id))?;
    let catalogue = host.catalogue_store().load();
    Ok(recommend(
        &plan,
        &catalogue.recipes,
        ferry_core::needs::taxonomy(),
    ))
}
