//! The room's ledger against a prankster (issue #25): caps per network address,
//! pause and a locked door, removing a participant with their dots, setting
//! proposals aside in bulk, and running tallies that always equal the ledger.

use std::collections::BTreeMap;

use ferry_core::library::{Participant, Removals};
use ferry_core::model::{NeedEntry, Priority};
use ferry_core::room::{
    MAX_PARTICIPANTS_PER_ADDRESS, MAX_PROPOSALS_EACH, MAX_PROPOSALS_PER_ADDRESS, ProposalKind,
    ProposalState, RoomError, RoomPhase, Tally,
};
use ferry_core::{Language, Library, Plan, PlanId};

const NEEDS: [&str; 3] = ["video_meetings", "files", "email"];

fn setup(dots_each: u32) -> (tempfile::TempDir, Library, Plan, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in(dir.path()).unwrap();
    let mut plan = lib.create("Union", Language::En).unwrap();
    for n in NEEDS {
        plan.needs.needs.push(NeedEntry {
            need: n.into(),
            priority: Priority::Should,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
    }
    let plan = lib.save(&plan).unwrap();
    let room = lib.room_open(&[plan.id], dots_each).unwrap().id;
    (dir, lib, plan, room)
}

fn join(lib: &mut Library, room: &str, plan: PlanId, token: &str, address: &str) -> Participant {
    lib.room_join(room, token, plan, None, address).unwrap()
}

#[test]
fn an_address_holds_a_tables_worth_of_phones_and_a_removed_one_still_counts() {
    let (_dir, mut lib, plan, room) = setup(3);
    let mut first = None;
    for i in 0..MAX_PARTICIPANTS_PER_ADDRESS {
        let p = join(&mut lib, &room, plan.id, &format!("t{i}"), "192.0.2.7");
        first.get_or_insert(p);
    }
    let more = lib.room_join(&room, "one-more", plan.id, None, "192.0.2.7");
    assert!(
        matches!(more, Err(RoomError::AddressFull { max }) if max == MAX_PARTICIPANTS_PER_ADDRESS),
        "{more:?}"
    );
    // Another address is not held back.
    join(&mut lib, &room, plan.id, "elsewhere", "192.0.2.8");
    // Removing a phone does not make room for the prankster to join again.
    lib.room_remove(&room, &first.unwrap().id, false).unwrap();
    assert!(matches!(
        lib.room_join(&room, "again", plan.id, None, "192.0.2.7"),
        Err(RoomError::AddressFull { .. })
    ));
}

#[test]
fn a_pause_stops_joining_and_proposing_and_a_locked_door_stops_joining() {
    let (_dir, mut lib, plan, room) = setup(3);
    let ana = join(&mut lib, &room, plan.id, "ana", "192.0.2.1");
    lib.room_set(&room, RoomPhase::Paused, false).unwrap();
    assert!(matches!(
        lib.room_join(&room, "bo", plan.id, None, "192.0.2.2"),
        Err(RoomError::Paused)
    ));
    assert!(matches!(
        lib.room_propose(&ana, ProposalKind::Need, "a calendar"),
        Err(RoomError::Paused)
    ));
    lib.room_set(&room, RoomPhase::Open, false).unwrap();

    let locked = lib.room_lock_joining(&room, true).unwrap();
    assert!(locked.joining_locked);
    assert!(matches!(
        lib.room_join(&room, "bo", plan.id, None, "192.0.2.2"),
        Err(RoomError::JoiningLocked)
    ));
    // Those in the room go on.
    lib.room_dot(&ana, "files", true).unwrap();
    lib.room_propose(&ana, ProposalKind::Need, "a calendar")
        .unwrap();
    lib.room_lock_joining(&room, false).unwrap();
    join(&mut lib, &room, plan.id, "bo", "192.0.2.2");
}

fn shown(lib: &Library, room: &str, plan: PlanId) -> Tally {
    lib.room_running_tallies(room)
        .unwrap()
        .remove(&plan)
        .unwrap_or_default()
}

fn counted(lib: &Library, room: &str, plan: PlanId) -> (Tally, u32) {
    lib.room_tallies(room).unwrap().remove(&plan).unwrap()
}

#[test]
fn a_removed_participant_takes_their_dots_and_waiting_proposals_with_them() {
    let (_dir, mut lib, plan, room) = setup(3);
    let ana = join(&mut lib, &room, plan.id, "ana", "192.0.2.1");
    let bo = join(&mut lib, &room, plan.id, "bo", "192.0.2.9");
    let bo2 = join(&mut lib, &room, plan.id, "bo2", "192.0.2.9");
    let cy = join(&mut lib, &room, plan.id, "cy", "192.0.2.3");
    for who in [&ana, &bo, &bo2, &cy] {
        lib.room_dot(who, "files", true).unwrap();
    }
    lib.room_dot(&bo, "files", true).unwrap();
    lib.room_dot(&bo, "email", true).unwrap();
    let spam = lib.room_propose(&bo, ProposalKind::Note, "spam").unwrap();
    let honest = lib.room_propose(&ana, ProposalKind::Need, "rota").unwrap();
    assert_eq!(shown(&lib, &room, plan.id)["files"], 5);

    let removed = lib.room_remove(&room, &bo.id, false).unwrap();
    assert_eq!((removed.people, removed.dots), (1, 3));
    assert_eq!(removed.token_hashes, ["bo"]);
    let want = Tally::from([("files".to_owned(), 3)]);
    assert_eq!(shown(&lib, &room, plan.id), want);
    assert_eq!(counted(&lib, &room, plan.id), (want, 3));
    assert!(matches!(
        lib.room_participant(&room, "bo"),
        Err(RoomError::NotJoined)
    ));
    let states: BTreeMap<String, ProposalState> = lib
        .room_proposals_of(&bo)
        .unwrap()
        .into_iter()
        .chain(lib.room_proposals_of(&ana).unwrap())
        .map(|p| (p.id, p.state))
        .collect();
    assert_eq!(states[&spam.id], ProposalState::Dismissed);
    assert_eq!(states[&honest.id], ProposalState::New);
    assert!(matches!(
        lib.room_remove(&room, &bo.id, false),
        Err(RoomError::NoParticipant)
    ));

    // Everyone else from the same address, in one go.
    let bo3 = join(&mut lib, &room, plan.id, "bo3", "192.0.2.9");
    let removed = lib.room_remove(&room, &bo3.id, true).unwrap();
    assert_eq!((removed.people, removed.dots), (2, 1));
    assert_eq!(
        lib.room_removals(&room).unwrap(),
        Removals { people: 3, dots: 4 }
    );
    assert_eq!(counted(&lib, &room, plan.id).1, 2);
    // Ending the vote counts only those still in the room.
    let saved = lib
        .room_end(&room, ferry_core::vote::RoomMerge::Add)
        .unwrap();
    let files = saved[0]
        .needs
        .needs
        .iter()
        .find(|n| n.need == "files")
        .unwrap();
    assert_eq!(files.votes, 2);
    assert_eq!(saved[0].needs.participants(), 2);
}

#[test]
fn the_running_tallies_always_equal_the_ledger() {
    let (_dir, mut lib, plan, room) = setup(4);
    let mut rng = fastrand::Rng::with_seed(25);
    let mut people: Vec<(String, Participant)> = (0..8)
        .map(|i| {
            let (token, address) = (format!("p{i}"), format!("192.0.2.{}", i % 3));
            let who = join(&mut lib, &room, plan.id, &token, &address);
            (token, who)
        })
        .collect();
    for step in 0..300 {
        if people.is_empty() {
            break;
        }
        let who = people[rng.usize(..people.len())].1.clone();
        match rng.u8(..100) {
            0..=59 => drop(lib.room_dot(&who, NEEDS[rng.usize(..3)], true)),
            60..=94 => drop(lib.room_dot(&who, NEEDS[rng.usize(..3)], false)),
            95..=97 => {
                lib.room_remove(&room, &who.id, rng.bool()).unwrap();
                people.retain(|(token, _)| lib.room_participant(&room, token).is_ok());
            }
            _ => lib.room_reset_votes(&room).unwrap(),
        }
        let ledger = counted(&lib, &room, plan.id).0;
        assert_eq!(shown(&lib, &room, plan.id), ledger, "after step {step}");
    }
}

#[test]
fn proposals_are_capped_per_phone_and_per_address_paged_and_set_aside_in_bulk() {
    let (_dir, mut lib, plan, room) = setup(3);
    let phones: Vec<Participant> = (0..5)
        .map(|i| join(&mut lib, &room, plan.id, &format!("p{i}"), "192.0.2.5"))
        .collect();
    let mut sent = 0;
    for who in &phones {
        for k in 0..=MAX_PROPOSALS_EACH {
            match lib.room_propose(who, ProposalKind::Note, &format!("note {k}")) {
                Ok(_) => sent += 1,
                Err(RoomError::ProposalsFull { max }) => {
                    assert!(max == MAX_PROPOSALS_EACH || max == MAX_PROPOSALS_PER_ADDRESS);
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    assert_eq!(sent, MAX_PROPOSALS_PER_ADDRESS);
    let other = join(&mut lib, &room, plan.id, "other", "192.0.2.6");
    lib.room_propose(&other, ProposalKind::Need, "a calendar")
        .unwrap();

    let first = lib.room_waiting(&room, 0, 50).unwrap();
    let second = lib.room_waiting(&room, 50, 50).unwrap();
    assert_eq!((first.len(), second.len()), (50, 50));
    assert_eq!(first[0].text, "note 0");
    assert_ne!(first[49].id, second[0].id);
    let decided = first[0].id.clone();
    lib.room_decide(
        &room,
        &decided,
        &ferry_core::library::ProposalDecision::Dismiss,
    )
    .unwrap();
    let ids: Vec<String> = first.iter().map(|p| p.id.clone()).collect();
    assert_eq!(lib.room_dismiss(&room, &ids).unwrap(), 49);
    let counts = lib.room_proposal_counts(&room).unwrap();
    assert_eq!(
        (counts.waiting, counts.dismissed),
        (MAX_PROPOSALS_PER_ADDRESS + 1 - 50, 50)
    );
}
