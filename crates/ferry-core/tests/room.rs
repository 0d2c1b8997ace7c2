//! The live room's ledger in a real library file: budgets, pauses, proposals, a
//! reopened library (as after a crash), and the end writing the votes into the plans.

use ferry_core::library::{Participant, ProposalDecision};
use ferry_core::model::{DotVote, NeedEntry, Priority, Vote};
use ferry_core::room::{ProposalKind, ProposalState, RoomError, RoomPhase};
use ferry_core::vote::{RoomMerge, VoteAction, apply};
use ferry_core::{Language, Library, Plan};

fn plan_with_needs(lib: &mut Library, name: &str, needs: &[&str]) -> Plan {
    let mut plan = lib.create(name, Language::En).unwrap();
    for n in needs {
        plan.needs.needs.push(NeedEntry {
            need: (*n).into(),
            priority: Priority::Should,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
    }
    lib.save(&plan).unwrap()
}

fn join(
    lib: &mut Library,
    room: &str,
    token: &str,
    plan: &Plan,
    name: Option<&str>,
) -> Participant {
    lib.room_join(room, token, plan.id, name, "192.0.2.1")
        .unwrap()
}

#[test]
fn dots_stay_within_each_budget_and_end_up_in_the_plans() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in(dir.path()).unwrap();
    let union = plan_with_needs(&mut lib, "Union", &["video_meetings", "files"]);
    let patients = plan_with_needs(&mut lib, "Patients", &["email"]);
    let room = lib.room_open(&[union.id, patients.id], 2).unwrap();
    assert!(matches!(
        lib.room_open(&[union.id], 2),
        Err(RoomError::AlreadyOpen)
    ));

    let ana = join(&mut lib, &room.id, "hash-ana", &union, Some("Ana"));
    let bo = join(&mut lib, &room.id, "hash-bo", &union, None);
    let cy = join(&mut lib, &room.id, "hash-cy", &patients, None);
    assert_eq!(lib.room_participant(&room.id, "hash-bo").unwrap(), bo);
    assert!(matches!(
        lib.room_participant(&room.id, "hash-nobody"),
        Err(RoomError::NotJoined)
    ));

    lib.room_dot(&ana, "video_meetings", true).unwrap();
    lib.room_dot(&ana, "video_meetings", true).unwrap();
    assert!(matches!(
        lib.room_dot(&ana, "files", true),
        Err(RoomError::NoDotsLeft { budget: 2 })
    ));
    let mine = lib.room_dot(&ana, "video_meetings", false).unwrap();
    assert_eq!(mine.get("video_meetings"), Some(&1));
    lib.room_dot(&ana, "files", true).unwrap();
    lib.room_dot(&bo, "video_meetings", true).unwrap();
    assert!(matches!(
        lib.room_dot(&bo, "files", false),
        Err(RoomError::NoDotThere)
    ));
    // A need of another organisation, or none at all, is not on this board.
    assert!(matches!(
        lib.room_dot(&cy, "video_meetings", true),
        Err(RoomError::UnknownNeed)
    ));
    lib.room_dot(&cy, "email", true).unwrap();

    lib.room_set(&room.id, RoomPhase::Paused, false).unwrap();
    assert!(matches!(
        lib.room_dot(&cy, "email", true),
        Err(RoomError::Paused)
    ));
    lib.room_set(&room.id, RoomPhase::Open, true).unwrap();

    let tallies = lib.room_tallies(&room.id).unwrap();
    assert_eq!(tallies[&union.id].0.get("video_meetings"), Some(&2));
    assert_eq!(tallies[&union.id].0.get("files"), Some(&1));
    assert_eq!(tallies[&union.id].1, 2);
    assert_eq!(tallies[&patients.id].0.get("email"), Some(&1));

    // What was acknowledged is in the file: a reopened library has all of it.
    drop(lib);
    let mut lib = Library::open_in(dir.path()).unwrap();
    let again = lib.room_current().unwrap().unwrap();
    assert_eq!(again.id, room.id);
    assert!(again.tallies_hidden);
    assert_eq!(lib.room_tallies(&room.id).unwrap(), tallies);

    let saved = lib.room_end(&room.id, RoomMerge::Add).unwrap();
    assert_eq!(saved.len(), 2);
    let union = lib.get(union.id).unwrap();
    let votes: Vec<(String, u32)> = union
        .needs
        .needs
        .iter()
        .map(|n| (n.need.clone(), n.votes))
        .collect();
    assert_eq!(votes, [("video_meetings".into(), 2), ("files".into(), 1)]);
    assert_eq!(
        union.needs.vote,
        Some(Vote::Ended {
            rounds: vec![DotVote {
                participants: 2,
                dots_each: 2
            }]
        })
    );
    assert_eq!(union.needs.dots_used(), 3);
    assert!(lib.room_current().unwrap().is_none());
    assert!(matches!(
        lib.room_participant(&room.id, "hash-ana"),
        Err(RoomError::NotJoined)
    ));
    assert!(matches!(
        lib.room_dot(&ana, "email", true),
        Err(RoomError::NoRoom)
    ));
}

#[test]
fn proposals_are_accepted_merged_or_dismissed_onto_the_right_board() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in(dir.path()).unwrap();
    let union = plan_with_needs(&mut lib, "Union", &["video_meetings"]);
    let other = plan_with_needs(&mut lib, "Other", &["email"]);
    let room = lib.room_open(&[union.id, other.id], 3).unwrap();
    let ana = join(&mut lib, &room.id, "hash-ana", &union, Some("Ana"));
    let bo = join(&mut lib, &room.id, "hash-bo", &other, None);
    assert!(matches!(
        lib.room_join(&room.id, "hash-x", ferry_core::PlanId::new(), None, ""),
        Err(RoomError::NotInRoom)
    ));

    let need = lib
        .room_propose(&ana, ProposalKind::Need, "shared calendar for shifts")
        .unwrap();
    let note = lib
        .room_propose(&ana, ProposalKind::Note, "we use WhatsApp for the board")
        .unwrap();
    let spam = lib.room_propose(&bo, ProposalKind::Note, "spam").unwrap();
    assert_eq!(
        lib.room_proposals_of(&bo).unwrap(),
        std::slice::from_ref(&spam)
    );
    assert_eq!(lib.room_waiting(&room.id, 0, 50).unwrap().len(), 3);
    assert_eq!(need.by.as_deref(), Some("Ana"));

    let accept = ProposalDecision::Accept {
        need: "calendar".into(),
    };
    let plan = lib.room_decide(&room.id, &need.id, &accept).unwrap();
    assert!(
        plan.needs
            .needs
            .iter()
            .any(|n| n.need == "calendar" && n.notes == "shared calendar for shifts")
    );
    let merge = ProposalDecision::Merge {
        need: "video_meetings".into(),
    };
    let plan = lib.room_decide(&room.id, &note.id, &merge).unwrap();
    let card = plan
        .needs
        .needs
        .iter()
        .find(|n| n.need == "video_meetings")
        .unwrap();
    assert_eq!(card.notes, "we use WhatsApp for the board");
    lib.room_decide(&room.id, &spam.id, &ProposalDecision::Dismiss)
        .unwrap();
    // The other organisation's board is untouched.
    assert_eq!(lib.get(other.id).unwrap().needs, other.needs);

    let bogus = ProposalDecision::Accept {
        need: "no_such_need".into(),
    };
    assert!(matches!(
        lib.room_decide(&room.id, &need.id, &bogus),
        Err(RoomError::UnknownNeed)
    ));
    let states: Vec<ProposalState> = [&ana, &bo]
        .into_iter()
        .flat_map(|who| lib.room_proposals_of(who).unwrap())
        .map(|p| p.state)
        .collect();
    assert_eq!(
        states,
        [
            ProposalState::Accepted,
            ProposalState::Merged,
            ProposalState::Dismissed
        ]
    );
    assert!(lib.room_waiting(&room.id, 0, 50).unwrap().is_empty());
    // A new card can be voted on at once.
    lib.room_dot(&ana, "calendar", true).unwrap();
}

/// Nine dots placed at the desk and two from phones: ending the room adds them (the
/// facilitator may choose to replace them instead), and the plan stays valid.
#[test]
fn the_rooms_dots_are_added_to_those_placed_at_the_desk() {
    for (merge, want) in [(RoomMerge::Add, [7, 4]), (RoomMerge::Replace, [2, 0])] {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in(dir.path()).unwrap();
        let mut plan = plan_with_needs(&mut lib, "Fagforbundet", &["email", "files"]);
        let mut board = apply(
            &plan.needs,
            &VoteAction::Start {
                participants: 3,
                dots_each: 3,
            },
        )
        .unwrap();
        for need in [
            "email", "email", "email", "email", "email", "files", "files", "files", "files",
        ] {
            board = apply(
                &board,
                &VoteAction::Dot {
                    need: need.into(),
                    add: true,
                },
            )
            .unwrap();
        }
        plan.needs = board;
        let plan = lib.save(&plan).unwrap();
        assert_eq!(plan.needs.dots_used(), 9);

        let room = lib.room_open(&[plan.id], 2).unwrap();
        let phone = join(&mut lib, &room.id, "hash-ana", &plan, None);
        lib.room_dot(&phone, "email", true).unwrap();
        lib.room_dot(&phone, "email", true).unwrap();
        lib.room_end(&room.id, merge).unwrap();

        let plan = lib.get(plan.id).unwrap();
        let votes: Vec<u32> = plan.needs.needs.iter().map(|n| n.votes).collect();
        assert_eq!(votes, want, "{merge:?}");
        assert_eq!(plan.check(), Ok(()));
        assert!(plan.needs.is_ended());
    }
}
