//! Every value of the plan's choice enums, listed once: the UI offers them from the
//! generated `bindings.ts` lists (ferry-bindings), never from lists typed in a component.

/// Gives `$t` a `pub const ALL` with the listed variants, in the order the app
/// offers them. A variant missing from the list does not compile.
#[macro_export]
macro_rules! all_values {
    ($t:ident: $($v:ident),+ $(,)?) => {
        impl $t {
            /// Every value, in the order the app offers them.
            pub const ALL: [$t; [$(stringify!($v)),+].len()] = [$($t::$v),+];
        }
        const _: () = {
            // The guard: a new variant must be added to the list above.
            #[allow(dead_code)]
            fn every_variant_is_listed(x: $t) {
                match x {
                    $($t::$v)|+ => {}
                }
            }
        };
    };
}
