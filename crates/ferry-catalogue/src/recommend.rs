//! The recommender: for each need of a plan, the recipes that fit this organisation,
//! best first, with reasons and warnings a non-technical reader can follow.
//!
//! A pure function of the catalogue, the taxonomy and the plan. Every point in a
//! ranking comes from one named reason, so the explanation is the calculation.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use ferry_core::model::{DataSensitivity, NeedEntry, Plan, Priority, TechnicalCapacity};
use ferry_core::needs::{Fit, Taxonomy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::assess::{Assessment, Maturity, Presence, SsoSupport};
use crate::recipe::{Recipe, Recipes};

/// How much looking after a recipe needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    Light,
    Medium,
    Heavy,
}

#[derive(Deserialize)]
struct WeightFile {
    weights: BTreeMap<String, Weight>,
}

/// Hand-made estimates in `data/recipe-weights.json`; unlisted recipes are `Medium`.
pub fn weight_of(recipe: &str) -> Weight {
    static W: OnceLock<BTreeMap<String, Weight>> = OnceLock::new();
    let weights = W.get_or_init(|| {
        let f: WeightFile = serde_json::from_str(include_str!("../data/recipe-weights.json"))
            .expect("data/recipe-weights.json is valid");
        f.weights
    });
    weights.get(recipe).copied().unwrap_or(Weight::Medium)
}

/// The facts about the organisation that change what fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Profile {
    pub people: Option<u32>,
    pub capacity: Option<TechnicalCapacity>,
    pub sensitivity: Option<DataSensitivity>,
}

impl Profile {
    pub fn of(plan: &Plan) -> Self {
        let o = &plan.organisation;
        Profile {
            people: o.active_users.or(o.members),
            capacity: o.technical_capacity,
            sensitivity: o.data_sensitivity,
        }
    }

    fn low_capacity(&self) -> bool {
        matches!(
            self.capacity,
            None | Some(TechnicalCapacity::Nobody | TechnicalCapacity::OneVolunteer)
        )
    }

    fn sensitive(&self) -> bool {
        self.sensitivity == Some(DataSensitivity::SpecialCategories)
    }
}

/// Why a recipe ranks where it does. Each has a message `reason.<kind>` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    CoversNeed,
    CoversPartly,
    Mature {
        level: u8,
    },
    SsoAutomatic {
        note: Option<String>,
    },
    SsoManual {
        note: Option<String>,
    },
    Backups,
    /// Also serves these other needs of the plan.
    CoversOtherNeeds {
        needs: Vec<String>,
    },
    LightToRun,
}

/// What a reader should know before choosing. Each has a message `warning.<kind>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    Experimental { level: u8 },
    StatusUnknown,
    NoSso,
    SsoUnknown,
    NoBackups,
    BackupsUnknown,
    HeavyForCapacity,
    SensitiveDataOnYoungRecipe,
}

/// Most warnings shown on one app: the ones that matter most for this organisation.
pub const NOTABLE_WARNINGS: usize = 2;

impl Warning {
    /// The catalogue gives no score (said once per step, not on every app).
    pub fn is_unknown(&self) -> bool {
        matches!(
            self,
            Warning::StatusUnknown | Warning::SsoUnknown | Warning::BackupsUnknown
        )
    }

    /// A drawback worth saying "every app for this need has one": being young
    /// (alpha, beta) alone is not — most Co-op Cloud recipes are, and four needs out
    /// of eight once said so for apps that co-ops run every day.
    pub fn is_serious(&self) -> bool {
        !matches!(self, Warning::Experimental { .. }) && !self.is_unknown()
    }

    /// Lower is more serious for the organisation in `profile`.
    fn rank(&self, profile: Profile) -> u8 {
        match self {
            Warning::SensitiveDataOnYoungRecipe => 0,
            Warning::NoBackups if profile.sensitive() => 1,
            Warning::NoSso => 2,
            Warning::NoBackups => 3,
            Warning::HeavyForCapacity => 4,
            Warning::Experimental { .. } => 5,
            Warning::StatusUnknown | Warning::SsoUnknown | Warning::BackupsUnknown => 9,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecipeOption {
    pub recipe: String,
    pub points: i32,
    pub fit: Fit,
    pub weight: Weight,
    pub reasons: Vec<Reason>,
    /// Every warning (the CLI and the document list them all).
    pub warnings: Vec<Warning>,
    /// What the app's card shows: at most `NOTABLE_WARNINGS` serious ones, most
    /// serious first; unknown scores are explained once per step instead.
    pub notable: Vec<Warning>,
    /// The recipe's scores judged, for the badges beside it.
    pub assessment: Assessment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NeedAdvice {
    pub need: String,
    pub priority: Priority,
    /// Best first; empty when nothing in the catalogue covers the need.
    pub options: Vec<RecipeOption>,
    /// Known migration problems for this need (`friction.<key>`).
    pub friction: Vec<String>,
    /// Every option has a serious warning: keeping the current tool or deciding later
    /// (with the co-op) are offered in plain words.
    pub all_warned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Recommendation {
    /// In the plan's order, Must first, "not now" left out.
    pub needs: Vec<NeedAdvice>,
    /// Needs nothing in the catalogue covers.
    pub uncovered: Vec<String>,
    /// Some app has a score the catalogue does not give (explained once).
    pub unknown_scores: bool,
}

// Points for each reason and warning; see `option_for`.
const FULL_FIT: i32 = 30;
const PARTIAL_FIT: i32 = 10;
const PER_OTHER_NEED: i32 = 8;
const LIGHT_BONUS: i32 = 5;
const HEAVY_PENALTY: i32 = 15;
const SSO_MISSING: i32 = 10;
const BACKUPS: i32 = 10;

fn status_points(level: u8) -> i32 {
    match level {
        5 => 25,
        4 => 20,
        3 => 15,
        2 => 5,
        1 => -10,
        _ => -15,
    }
}

/// Ranks the catalogue's recipes for every need on the plan.
pub fn recommend(plan: &Plan, recipes: &Recipes, taxonomy: &Taxonomy) -> Recommendation {
    let mut r = recommend_needs(&plan.needs.needs, Profile::of(plan), recipes, taxonomy);
    // A problem named after a tool (Facebook groups) only for those who use it.
    for a in &mut r.needs {
        a.friction
            .retain(|f| ferry_core::tools::friction_applies(plan, f));
    }
    r
}

pub fn recommend_needs(
    needs: &[NeedEntry],
    profile: Profile,
    recipes: &Recipes,
    taxonomy: &Taxonomy,
) -> Recommendation {
    let mut wanted: Vec<&NeedEntry> = needs
        .iter()
        .filter(|n| n.priority != Priority::NotNow)
        .collect();
    // Stable: same priority keeps the plan's order.
    wanted.sort_by_key(|n| n.priority);
    let wanted_ids: BTreeSet<&str> = wanted.iter().map(|n| n.need.as_str()).collect();

    // recipe → the wanted needs it fully covers, to credit apps that do several jobs.
    let mut covers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for def in taxonomy
        .needs
        .iter()
        .filter(|d| wanted_ids.contains(d.id.as_str()))
    {
        for c in def.candidates.iter().filter(|c| c.fit == Fit::Full) {
            covers.entry(&c.recipe).or_default().push(&def.id);
        }
    }

    let mut advice = Vec::new();
    let mut uncovered = Vec::new();
    for entry in wanted {
        let Some(def) = taxonomy.get(&entry.need) else {
            uncovered.push(entry.need.clone());
            continue;
        };
        let mut options: Vec<RecipeOption> = def
            .candidates
            .iter()
            // A recipe the catalogue does not list cannot be deployed by a co-op.
            .filter_map(|c| recipes.get(&c.recipe).map(|r| (c, r)))
            .map(|(c, r)| {
                let others: Vec<String> = covers
                    .get(r.name.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|n| **n != def.id)
                    .map(|n| n.to_string())
                    .collect();
                option_for(r, c.fit, &others, profile)
            })
            .collect();
        options.sort_by(|a, b| {
            b.points
                .cmp(&a.points)
                .then_with(|| a.recipe.cmp(&b.recipe))
        });
        if options.is_empty() {
            uncovered.push(entry.need.clone());
        }
        let all_warned = !options.is_empty()
            && options
                .iter()
                .all(|o| o.notable.iter().any(Warning::is_serious));
        advice.push(NeedAdvice {
            need: entry.need.clone(),
            priority: entry.priority,
            options,
            friction: def.friction.clone(),
            all_warned,
        });
    }
    let unknown_scores = advice
        .iter()
        .flat_map(|a| &a.options)
        .any(|o| o.warnings.iter().any(Warning::is_unknown));
    Recommendation {
        needs: advice,
        uncovered,
        unknown_scores,
    }
}

fn option_for(r: &Recipe, fit: Fit, other_needs: &[String], profile: Profile) -> RecipeOption {
    let mut points = 0;
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    // Groups with special-category data and no admin need what is proven more.
    let care = if profile.sensitive() || profile.low_capacity() {
        2
    } else {
        1
    };

    match fit {
        Fit::Full => {
            points += FULL_FIT;
            reasons.push(Reason::CoversNeed);
        }
        Fit::Partial => {
            points += PARTIAL_FIT;
            reasons.push(Reason::CoversPartly);
        }
    }

    let assessment = Assessment::of(r);
    match r.status.level {
        Some(level) => {
            points += status_points(level) * if level <= 1 { care } else { 1 };
            if assessment.maturity == Maturity::Mature {
                reasons.push(Reason::Mature { level });
            } else {
                warnings.push(Warning::Experimental { level });
                if profile.sensitive() {
                    points -= 10;
                    warnings.push(Warning::SensitiveDataOnYoungRecipe);
                }
            }
        }
        None => warnings.push(Warning::StatusUnknown),
    }

    // SSO matters more the more people log in.
    let many = profile.people.is_none_or(|p| p >= 25);
    let note = r.sso.note.clone();
    match assessment.sso {
        SsoSupport::Automatic => {
            points += if many { 12 } else { 8 };
            reasons.push(Reason::SsoAutomatic { note });
        }
        SsoSupport::Manual => {
            points += if many { 6 } else { 4 };
            reasons.push(Reason::SsoManual { note });
        }
        SsoSupport::None => {
            points -= if many { SSO_MISSING } else { SSO_MISSING / 2 };
            warnings.push(Warning::NoSso);
        }
        SsoSupport::Unknown => warnings.push(Warning::SsoUnknown),
    }

    match assessment.backups {
        Presence::Yes => {
            points += BACKUPS * care;
            reasons.push(Reason::Backups);
        }
        Presence::No => {
            points -= BACKUPS * care;
            warnings.push(Warning::NoBackups);
        }
        Presence::Unknown => warnings.push(Warning::BackupsUnknown),
    }

    if !other_needs.is_empty() {
        points += PER_OTHER_NEED * other_needs.len() as i32;
        reasons.push(Reason::CoversOtherNeeds {
            needs: other_needs.to_vec(),
        });
    }

    let weight = weight_of(&r.name);
    match weight {
        Weight::Heavy if profile.low_capacity() => {
            points -= HEAVY_PENALTY;
            warnings.push(Warning::HeavyForCapacity);
        }
        Weight::Light => {
            points += LIGHT_BONUS * care;
            reasons.push(Reason::LightToRun);
        }
        _ => {}
    }

    let mut notable: Vec<Warning> = warnings
        .iter()
        .filter(|w| !w.is_unknown())
        .cloned()
        .collect();
    notable.sort_by_key(|w| w.rank(profile));
    notable.truncate(NOTABLE_WARNINGS);
    RecipeOption {
        recipe: r.name.clone(),
        points,
        fit,
        weight,
        reasons,
        warnings,
        notable,
        assessment,
    }
}

#[cfg(test)]
mod tests;
