//! The macro that turns the one list of commands (`surface.rs`) into everything a
//! client needs: argument types, a dispatcher, and the specs the generators read
//! (TypeScript client, Tauri permissions). A command is named in exactly one place.

use serde::Serialize;

/// Who may call a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The desktop window (its capability grants exactly these).
    Window,
    /// Phones in a workshop room, over the room's HTTP server (and only these).
    Participants,
}

/// One command as its clients see it: what the generators read.
pub struct CommandSpec {
    /// snake_case, as sent over IPC or HTTP.
    pub name: &'static str,
    /// The `///` lines above the declaration.
    pub doc: &'static str,
    /// Each argument's snake_case name and TypeScript type, in order.
    pub args: fn(&ts_rs::Config) -> Vec<(&'static str, String)>,
    /// The TypeScript type of the answer.
    pub reply: fn(&ts_rs::Config) -> String,
    /// The TypeScript type of the progress events, for a command that sends them.
    pub events: Option<fn(&ts_rs::Config) -> String>,
    pub scope: Scope,
}

/// Where a long command reports progress: a Tauri channel, a terminal, a test's list.
pub type EventSink<'a> = &'a (dyn Fn(serde_json::Value) + Send + Sync);

/// A typed view of the sink, handed to the commands that send progress.
pub struct Events<'a, T> {
    sink: EventSink<'a>,
    _kind: std::marker::PhantomData<fn(T)>,
}

impl<'a, T: Serialize> Events<'a, T> {
    pub fn new(sink: EventSink<'a>) -> Self {
        Events {
            sink,
            _kind: std::marker::PhantomData,
        }
    }

    pub fn send(&self, event: &T) {
        match serde_json::to_value(event) {
            Ok(v) => (self.sink)(v),
            Err(e) => tracing::warn!(error = %e, "a progress event could not be serialised"),
        }
    }
}

/// Declares the commands. Each entry:
/// `/// doc` `name(arg: Type, ...) -> Reply [, events Event] => handler;`
/// where `handler` is `async fn(&impl Host, args..., [Events<Event>]) -> Result<Reply, ApiError>`.
macro_rules! commands {
    ( $( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty $(, events $ev:ty)? $(, for $scope:ident)? => $handler:path ; )* ) => {
        /// Each command's arguments as clients send them (camelCase names).
        #[allow(non_camel_case_types)]
        pub mod args {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[derive(::serde::Deserialize)]
                #[serde(rename_all = "camelCase")]
                pub struct $name { $( pub $arg: $ty, )* }
            )*
        }

        /// Every command, in declaration order.
        pub const COMMANDS: &[$crate::declare::CommandSpec] = &[ $( $crate::declare::CommandSpec {
            name: stringify!($name),
            doc: concat!($($doc, "\n",)* ""),
            args: |_cfg| vec![ $( (stringify!($arg), <$ty as ::ts_rs::TS>::name(_cfg)) ),* ],
            reply: |cfg| <$ret as ::ts_rs::TS>::name(cfg),
            events: commands!(@events $($ev)?),
            scope: commands!(@scope $($scope)?),
        } ),* ];

        /// Runs the command `name` with its JSON arguments and answers in JSON.
        pub async fn dispatch<H: $crate::Host>(
            host: &H,
            name: &str,
            args: ::serde_json::Value,
            events: $crate::declare::EventSink<'_>,
        ) -> Result<::serde_json::Value, $crate::ApiError> {
            // Tauri sends `{}` for no arguments; a bare HTTP call may send nothing.
            let args = if args.is_null() { ::serde_json::json!({}) } else { args };
            let _ = &events;
            match name {
                $( stringify!($name) => {
                    let _a: args::$name = ::serde_json::from_value(args).map_err(|e| {
                        $crate::ApiError::BadRequest { command: name.to_owned(), detail: e.to_string() }
                    })?;
                    let out: $ret = $handler(host $(, _a.$arg)* $(, $crate::declare::Events::<$ev>::new(events))? ).await?;
                    ::serde_json::to_value(out).map_err($crate::ApiError::internal)
                } )*
                _ => Err($crate::ApiError::UnknownCommand { command: name.to_owned() }),
            }
        }
    };
    (@scope) => { $crate::declare::Scope::Window };
    (@scope participants) => { $crate::declare::Scope::Participants };
    (@events) => { None };
    (@events $ev:ty) => { Some(|cfg| <$ev as ::ts_rs::TS>::name(cfg)) };
}

pub(crate) use commands;
