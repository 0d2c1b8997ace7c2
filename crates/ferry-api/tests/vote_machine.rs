//! The dot vote's life as one state machine, driven through `dispatch` as the window
//! and the phones drive it: random sequences of board actions (start, dots, end,
//! clear, undo) and room actions (open, phones join and place or take back dots,
//! reset, remove a phone, end adding or replacing) on one plan. After every step the
//! saved plan validates, and its dots are exactly what a simple model of the same
//! steps says: none lost, none counted twice.

use std::collections::BTreeMap;

use ferry_api::testing::TestHost;
use ferry_api::{Host, dispatch};
use ferry_core::model::{NeedEntry, Priority};
use ferry_core::{Plan, PlanId};
use proptest::prelude::*;
use serde_json::{Value, json};

const NEEDS: [&str; 3] = ["email", "files", "forum"];
/// One more, not on the board: dots there are refused.
const ALL_NEEDS: [&str; 4] = ["email", "files", "forum", "wiki"];

#[derive(Debug, Clone)]
enum Step {
    Start {
        participants: u32,
        dots_each: u32,
    },
    Dot {
        need: usize,
        add: bool,
    },
    End,
    Clear,
    Undo,
    RoomOpen {
        dots_each: u32,
    },
    Join,
    PhoneDot {
        phone: usize,
        need: usize,
        add: bool,
    },
    RoomReset,
    RemovePhone {
        phone: usize,
    },
    RoomEnd {
        replace: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0u32..=4, 0u32..=3).prop_map(|(participants, dots_each)| Step::Start {
            participants,
            dots_each
        }),
        4 => (0usize..4, any::<bool>()).prop_map(|(need, add)| Step::Dot { need, add }),
        1 => Just(Step::End),
        1 => Just(Step::Clear),
        1 => Just(Step::Undo),
        1 => (1u32..=3).prop_map(|dots_each| Step::RoomOpen { dots_each }),
        2 => Just(Step::Join),
        4 => (0usize..4, 0usize..4, any::<bool>()).prop_map(|(phone, need, add)| Step::PhoneDot {
            phone,
            need,
            add
        }),
        1 => Just(Step::RoomReset),
        1 => (0usize..4).prop_map(|phone| Step::RemovePhone { phone }),
        1 => any::<bool>().prop_map(|replace| Step::RoomEnd { replace }),
    ]
}

/// What the steps should have left, worked out without the engine.
#[derive(Debug, Clone, Default)]
struct Model {
    /// The plan's dots per need.
    desk: BTreeMap<String, u32>,
    vote: Kind,
    /// Dots handed out by the open vote.
    budget: u32,
    /// The state and dots an undo goes back to.
    undo: Option<(Kind, u32, BTreeMap<String, u32>)>,
    room: Option<Room>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Kind {
    #[default]
    None,
    Open,
    Ended,
}

#[derive(Debug, Clone)]
struct Room {
    token: String,
    dots_each: u32,
    /// Each phone in the room: its token and its dots per need.
    phones: Vec<(String, BTreeMap<String, u32>)>,
}

impl Model {
    fn used(&self) -> u32 {
        self.desk.values().sum()
    }
    fn snapshot(&self) -> (Kind, u32, BTreeMap<String, u32>) {
        (self.vote, self.budget, self.desk.clone())
    }
    fn room_dots(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for (_, dots) in self.room.iter().flat_map(|r| &r.phones) {
            for (need, n) in dots {
                *out.entry(need.clone()).or_default() += n;
            }
        }
        out
    }
}

struct World {
    host: TestHost,
    plan: PlanId,
    model: Model,
}

fn card(need: &str) -> NeedEntry {
    NeedEntry {
        need: need.into(),
        priority: Priority::Must,
        notes: String::new(),
        who: String::new(),
        votes: 0,
    }
}

impl World {
    fn new() -> World {
        let host = TestHost::new();
        let plan = host
            .with_library(|lib| {
                let mut p = lib.create("Fagforbundet Bergen", ferry_core::Language::Nb)?;
                p.needs.needs = NEEDS.iter().map(|n| card(n)).collect();
                lib.save(&p)
            })
            .unwrap()
            .id;
        World {
            host,
            plan,
            model: Model::default(),
        }
    }

    fn stored(&self) -> Plan {
        self.host.with_library(|lib| lib.get(self.plan)).unwrap()
    }

    async fn call(&self, command: &str, args: Value) -> Result<Value, String> {
        dispatch(&self.host, command, args, &|_| {})
            .await
            .map_err(|e| e.code().to_owned())
    }

    /// A board action as the window does it: the engine's answer, then a save.
    async fn board(&mut self, action: Value) -> Result<(), String> {
        let plan = self.stored();
        let answer = self
            .call("needs_vote", json!({"plan": plan, "action": action}))
            .await?;
        let mut plan = plan;
        plan.needs = serde_json::from_value(answer["needs"].clone()).unwrap();
        let saved = self.call("plan_save", json!({"plan": plan})).await.unwrap();
        assert_eq!(
            saved["problems"],
            json!([]),
            "the board's answer saves whole"
        );
        Ok(())
    }

    async fn run(&mut self, step: &Step) {
        let m = self.model.clone();
        let on_board = |need: usize| need < NEEDS.len();
        let need_name = |need: usize| ALL_NEEDS[need].to_owned();
        match step {
            Step::Start {
                participants,
                dots_each,
            } => {
                let got = self
                    .board(json!({"kind": "start", "participants": participants, "dots_each": dots_each}))
                    .await;
                let ok = *participants >= 1 && *dots_each >= 1 && m.vote != Kind::Open;
                assert_eq!(got.is_ok(), ok, "{step:?} {got:?} {m:?}");
                if ok {
                    self.model.undo = (m.used() > 0).then(|| m.snapshot());
                    self.model.desk.clear();
                    self.model.vote = Kind::Open;
                    self.model.budget = participants * dots_each;
                }
            }
            Step::Dot { need, add } => {
                let got = self
                    .board(json!({"kind": "dot", "need": need_name(*need), "add": add}))
                    .await;
                let here = m.desk.get(&need_name(*need)).copied().unwrap_or(0);
                let ok = m.vote == Kind::Open
                    && on_board(*need)
                    && if *add { m.used() < m.budget } else { here > 0 };
                assert_eq!(got.is_ok(), ok, "{step:?} {got:?} {m:?}");
                if ok {
                    let slot = self.model.desk.entry(need_name(*need)).or_default();
                    if *add {
                        *slot += 1;
                    } else {
                        *slot -= 1;
                    }
                    self.model.desk.retain(|_, n| *n > 0);
                    self.model.undo = None;
                }
            }
            Step::End => {
                let got = self.board(json!({"kind": "end"})).await;
                assert_eq!(got.is_ok(), m.vote == Kind::Open, "{step:?} {got:?}");
                if got.is_ok() {
                    self.model.undo = Some(m.snapshot());
                    self.model.vote = Kind::Ended;
                }
            }
            Step::Clear => {
                let got = self.board(json!({"kind": "clear"})).await;
                let ok = m.used() > 0 || m.vote == Kind::Ended;
                assert_eq!(got.is_ok(), ok, "{step:?} {got:?} {m:?}");
                if ok {
                    self.model.undo = Some(m.snapshot());
                    self.model.desk.clear();
                    if m.vote != Kind::Open {
                        self.model.vote = Kind::None;
                    }
                }
            }
            Step::Undo => {
                let got = self.board(json!({"kind": "undo"})).await;
                assert_eq!(got.is_ok(), m.undo.is_some(), "{step:?} {got:?} {m:?}");
                if let Some((vote, budget, desk)) = m.undo {
                    self.model.vote = vote;
                    self.model.budget = budget;
                    self.model.desk = desk;
                    self.model.undo = None;
                }
            }
            Step::RoomOpen { dots_each } => {
                let got = self
                    .call(
                        "room_open",
                        json!({"address": "127.0.0.1", "plans": [self.plan], "dotsEach": dots_each}),
                    )
                    .await;
                assert_eq!(got.is_ok(), m.room.is_none(), "{step:?} {got:?}");
                if let Ok(board) = got {
                    let url = board["url"].as_str().unwrap();
                    let token = url.trim_end_matches('/').rsplit('/').next().unwrap();
                    self.model.room = Some(Room {
                        token: token.to_owned(),
                        dots_each: *dots_each,
                        phones: Vec::new(),
                    });
                }
            }
            Step::Join => {
                let Some(room) = &m.room else { return };
                let got = self
                    .call(
                        "room_join",
                        json!({"room": room.token, "plan": self.plan, "name": null}),
                    )
                    .await
                    .unwrap();
                let token = got["participant"].as_str().unwrap().to_owned();
                let room = self.model.room.as_mut().unwrap();
                room.phones.push((token, BTreeMap::new()));
            }
            Step::PhoneDot { phone, need, add } => {
                let Some(room) = &m.room else { return };
                let Some((token, mine)) = room.phones.get(*phone) else {
                    return;
                };
                let got = self
                    .call(
                        "room_dot",
                        json!({"room": room.token, "participant": token, "need": need_name(*need), "add": add}),
                    )
                    .await;
                let placed: u32 = mine.values().sum();
                let here = mine.get(&need_name(*need)).copied().unwrap_or(0);
                // The room reads the plan as it is now: a need on its board.
                let ok = on_board(*need)
                    && if *add {
                        placed < room.dots_each
                    } else {
                        here > 0
                    };
                assert_eq!(got.is_ok(), ok, "{step:?} {got:?}");
                if ok {
                    let room = self.model.room.as_mut().unwrap();
                    let slot = room.phones[*phone].1.entry(need_name(*need)).or_default();
                    if *add {
                        *slot += 1;
                    } else {
                        *slot -= 1;
                    }
                    room.phones[*phone].1.retain(|_, n| *n > 0);
                }
            }
            Step::RoomReset => {
                if m.room.is_none() {
                    return;
                }
                self.call("room_control", json!({"action": "reset_votes"}))
                    .await
                    .unwrap();
                for (_, dots) in &mut self.model.room.as_mut().unwrap().phones {
                    dots.clear();
                }
            }
            Step::RemovePhone { phone } => {
                let Some(room) = &m.room else { return };
                if *phone >= room.phones.len() {
                    return;
                }
                let people = self
                    .call("room_people", json!({"offset": 0}))
                    .await
                    .unwrap();
                // The latest to join first.
                let index = room.phones.len() - 1 - phone;
                let id = people[index]["id"].as_str().unwrap().to_owned();
                self.call(
                    "room_remove",
                    json!({"participant": id, "sameAddress": false}),
                )
                .await
                .unwrap();
                self.model.room.as_mut().unwrap().phones.remove(*phone);
            }
            Step::RoomEnd { replace } => {
                let merge = if *replace { "replace" } else { "add" };
                let got = self.call("room_end", json!({"merge": merge})).await;
                assert_eq!(got.is_ok(), m.room.is_some(), "{step:?} {got:?}");
                let Some(room) = &m.room else { return };
                let tally = m.room_dots();
                let took_part = !room.phones.is_empty();
                if took_part || !tally.is_empty() {
                    self.model.undo = Some(m.snapshot());
                    if *replace {
                        self.model.desk.clear();
                    }
                    for (need, n) in tally {
                        *self.model.desk.entry(need).or_default() += n;
                    }
                    self.model.vote = Kind::Ended;
                }
                self.model.room = None;
            }
        }
    }

    /// The stored plan validates and holds exactly the model's dots.
    fn check(&self, after: &Step) {
        let plan = self.stored();
        assert_eq!(plan.check(), Ok(()), "after {after:?}");
        let dots: BTreeMap<String, u32> = plan
            .needs
            .needs
            .iter()
            .filter(|n| n.votes > 0)
            .map(|n| (n.need.clone(), n.votes))
            .collect();
        assert_eq!(dots, self.model.desk, "after {after:?}: {:?}", plan.needs);
        let kind = match plan.needs.vote {
            None => Kind::None,
            Some(ferry_core::model::Vote::Open { .. }) => Kind::Open,
            Some(ferry_core::model::Vote::Ended { .. }) => Kind::Ended,
        };
        assert_eq!(kind, self.model.vote, "after {after:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_board_and_room_actions_breaks_the_plan_or_loses_a_dot(steps in proptest::collection::vec(step(), 1..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            let mut world = World::new();
            for s in &steps {
                world.run(s).await;
                world.check(s);
            }
        });
    }
}
