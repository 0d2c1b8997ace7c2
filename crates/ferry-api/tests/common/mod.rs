//! A workshop room on loopback for the room's tests: two organisations, a room open
//! on 127.0.0.1, and phones that reach it over real HTTP, each from a loopback
//! address of its own where a test needs that (Linux answers on all of 127/8).

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};

use ferry_api::testing::TestHost;
use ferry_api::{Host, dispatch};
use ferry_core::model::{NeedEntry, Priority};
use serde_json::{Value, json};

pub struct Setup<H: Host = TestHost> {
    pub host: H,
    pub url: String,
    pub room: String,
    pub union: ferry_core::PlanId,
    pub patients: ferry_core::PlanId,
    pub http: reqwest::Client,
}

pub fn card(need: &str) -> NeedEntry {
    NeedEntry {
        need: need.into(),
        priority: Priority::Must,
        notes: String::new(),
        who: String::new(),
        votes: 0,
    }
}

/// Loopback address 127.0.0.`n`.
pub fn loopback(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
}

/// A client whose connections come from `address`.
pub fn client_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address)
        .build()
        .unwrap()
}

pub async fn setup(dots_each: u32) -> Setup {
    setup_on(TestHost::new(), dots_each).await
}

pub async fn setup_on<H: Host>(host: H, dots_each: u32) -> Setup<H> {
    let (union, patients) = host
        .with_library(|lib| {
            let mut a = lib.create("Union branch", ferry_core::Language::En)?;
            a.needs.needs = vec![card("video_meetings"), card("files")];
            let a = lib.save(&a)?;
            let mut b = lib.create("Patient group", ferry_core::Language::En)?;
            b.needs.needs = vec![card("email")];
            let b = lib.save(&b)?;
            Ok((a.id, b.id))
        })
        .unwrap();
    let board = dispatch(
        &host,
        "room_open",
        json!({"address": "127.0.0.1", "plans": [union, patients], "dotsEach": dots_each}),
        &|_| {},
    )
    .await
    .unwrap();
    let url = board["url"].as_str().unwrap().to_owned();
    let room = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(room.len(), 64, "256-bit room token");
    Setup {
        host,
        url,
        room,
        union,
        patients,
        http: reqwest::Client::new(),
    }
}

impl<H: Host> Setup<H> {
    pub async fn post_with(
        &self,
        http: &reqwest::Client,
        command: &str,
        args: Value,
    ) -> (u16, Value) {
        match http
            .post(format!("{}api/{command}", self.url))
            .json(&args)
            .send()
            .await
        {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.json().await.unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    pub async fn post(&self, command: &str, args: Value) -> (u16, Value) {
        self.post_with(&self.http, command, args).await
    }

    pub async fn join(&self, plan: ferry_core::PlanId, name: Option<&str>) -> String {
        let (status, body) = self
            .post(
                "room_join",
                json!({"room": self.room, "plan": plan, "name": name}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["participant"].as_str().unwrap().to_owned()
    }

    pub async fn dot(&self, participant: &str, need: &str, add: bool) -> (u16, Value) {
        self.post(
            "room_dot",
            json!({"room": self.room, "participant": participant, "need": need, "add": add}),
        )
        .await
    }

    pub async fn facilitator(&self, command: &str, args: Value) -> Value {
        dispatch(&self.host, command, args, &|_| {}).await.unwrap()
    }

    pub async fn tallies(&self) -> Value {
        serde_json::to_value(ferry_api::room::tallies(&self.host).unwrap()).unwrap()
    }

    /// host:port of the room.
    pub fn authority(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned()
    }
}
