use super::*;

fn board(needs: &[(&str, u32)]) -> NeedsBoard {
    NeedsBoard {
        needs: needs
            .iter()
            .map(|(need, votes)| NeedEntry {
                need: (*need).into(),
                priority: Priority::Should,
                notes: String::new(),
                who: String::new(),
                votes: *votes,
            })
            .collect(),
        ..Default::default()
    }
}

fn dot(need: &str) -> VoteAction {
    VoteAction::Dot {
        need: need.into(),
        add: true,
    }
}

fn votes(b: &NeedsBoard) -> Vec<u32> {
    b.needs.iter().map(|n| n.votes).collect()
}

#[test]
fn ending_a_vote_keeps_its_dots_as_a_result_the_plan_accepts() {
    let b = board(&[("email", 0), ("files", 0)]);
    let b = apply(
        &b,
        &VoteAction::Start {
            participants: 3,
            dots_each: 3,
        },
    )
    .unwrap();
    let b = apply(&b, &dot("email")).unwrap();
    let b = apply(&b, &dot("email")).unwrap();
    let ended = apply(&b, &VoteAction::End).unwrap();
    assert_eq!(votes(&ended), [2, 0]);
    assert_eq!(
        ended.vote,
        Some(Vote::Ended {
            rounds: vec![DotVote {
                participants: 3,
                dots_each: 3
            }]
        })
    );
    let mut plan = crate::Plan::new("A", crate::Language::En).unwrap();
    plan.needs = ended.clone();
    assert_eq!(plan.check(), Ok(()), "an ended vote is a valid plan");
    assert_eq!(status(&ended).undo, Some(UndoKind::Ended));
    // No dots once it has ended; undo opens it again with its dots.
    assert_eq!(apply(&ended, &dot("files")), Err(VoteError::NotOpen));
    let again = apply(&ended, &VoteAction::Undo).unwrap();
    assert_eq!(
        again
            .vote
            .as_ref()
            .and_then(Vote::open_budget)
            .map(DotVote::total),
        Some(9)
    );
    assert_eq!(status(&again).left, Some(7));
}

#[test]
fn refusals_leave_the_board_as_it_was() {
    let b = board(&[("email", 0)]);
    assert_eq!(
        apply(
            &b,
            &VoteAction::Start {
                participants: 8,
                dots_each: 999
            }
        ),
        Err(VoteError::OutOfRange {
            max_participants: MAX_PARTICIPANTS,
            max_dots: MAX_DOTS_EACH
        })
    );
    assert_eq!(apply(&b, &dot("email")), Err(VoteError::NotOpen));
    let b = apply(
        &b,
        &VoteAction::Start {
            participants: 1,
            dots_each: 1,
        },
    )
    .unwrap();
    assert_eq!(apply(&b, &dot("forum")), Err(VoteError::UnknownNeed));
    let b = apply(&b, &dot("email")).unwrap();
    assert_eq!(
        apply(&b, &dot("email")),
        Err(VoteError::NoDotsLeft { total: 1 })
    );
    assert_eq!(
        apply(
            &b,
            &VoteAction::Start {
                participants: 1,
                dots_each: 1
            }
        ),
        Err(VoteError::AlreadyOpen)
    );
    assert_eq!(
        apply(&board(&[]), &VoteAction::Undo),
        Err(VoteError::NothingToUndo)
    );
}

#[test]
fn a_room_adds_to_the_desk_unless_told_to_replace() {
    let desk = board(&[("email", 0), ("files", 0)]);
    let mut desk = apply(
        &desk,
        &VoteAction::Start {
            participants: 3,
            dots_each: 3,
        },
    )
    .unwrap();
    for need in ["email", "email", "files"] {
        desk = apply(&desk, &dot(need)).unwrap();
    }
    let tally = BTreeMap::from([("email".to_owned(), 1), ("forum".to_owned(), 1)]);
    let added = merge_room(&desk, &tally, 1, 2, RoomMerge::Add);
    assert_eq!(votes(&added), [3, 1, 1], "forum comes back as a card");
    assert_eq!(added.vote_total(), Some(11));
    let replaced = merge_room(&desk, &tally, 1, 2, RoomMerge::Replace);
    assert_eq!(votes(&replaced), [1, 0, 1]);
    assert_eq!(replaced.vote_total(), Some(2));
    let back = apply(&added, &VoteAction::Undo).unwrap();
    assert_eq!(votes(&back), [2, 1, 0]);
    assert_eq!(back.vote, desk.vote);
    // Nobody from this organisation in the room: nothing changes.
    assert_eq!(
        merge_room(&desk, &BTreeMap::new(), 0, 3, RoomMerge::Add),
        desk
    );
}

#[test]
fn older_plans_load_their_vote() {
    let open: NeedsBoard = serde_json::from_str(
        r#"{"needs":[{"need":"email","votes":2}],"vote":{"participants":2,"dots_each":3}}"#,
    )
    .unwrap();
    assert_eq!(
        open.vote
            .as_ref()
            .and_then(Vote::open_budget)
            .map(DotVote::total),
        Some(6)
    );
    let none: NeedsBoard = serde_json::from_str(r#"{"needs":[],"vote":null}"#).unwrap();
    assert_eq!(none.vote, None);
    // A draft left by the old "end the vote": dots, no vote.
    let ended: NeedsBoard =
        serde_json::from_str(r#"{"needs":[{"need":"email","votes":2}],"vote":null}"#).unwrap();
    assert_eq!(ended.vote, Some(Vote::Ended { rounds: vec![] }));
    // An open vote is still written as an older Ferry reads it: both numbers there.
    let text = serde_json::to_string(&open).unwrap();
    assert!(
        text.contains(r#""vote":{"state":"open","participants":2,"dots_each":3}"#),
        "{text}"
    );
    let round_trip: NeedsBoard =
        serde_json::from_str(&serde_json::to_string(&open).unwrap()).unwrap();
    assert_eq!(round_trip, open);
}
