//! Stable error codes, written once per error type.
//!
//! Every error Ferry shows is looked up by its code (`error.<code>`) in the message
//! catalogues. Writing the codes as a table means the `code()` match and the list
//! the catalogue test checks cannot drift apart: a new variant without a code does
//! not compile, and a new code without a message fails the test.

/// Declares `code()` and `codes()` for an error enum from a `Variant => "code"` table.
///
/// ```
/// #[derive(Debug)]
/// enum Oops { Lost { what: String }, Late, Wrapped(Inner) }
/// #[derive(Debug)]
/// enum Inner { Deep }
/// ferry_codes::error_codes!(Inner { Deep => "inner.deep" });
/// ferry_codes::error_codes!(Oops {
///     Lost => "oops.lost",
///     Late => "oops.late",
/// } delegate { Wrapped => Inner });
/// assert_eq!(Oops::Late.code(), "oops.late");
/// assert_eq!(Oops::Wrapped(Inner::Deep).code(), "inner.deep");
/// assert_eq!(Oops::codes(), ["oops.lost", "oops.late", "inner.deep"]);
/// ```
#[macro_export]
macro_rules! error_codes {
    ($ty:ident { $( $variant:ident => $code:literal ),+ $(,)? } $( delegate { $( $dv:ident => $dty:ty ),+ $(,)? } )?) => {
        impl $ty {
            /// Stable code, looked up as `error.<code>` in the message catalogues.
            pub fn code(&self) -> &'static str {
                match self {
                    $( $ty::$variant { .. } => $code, )+
                    $( $( $ty::$dv(inner) => inner.code(), )+ )?
                }
            }

            /// Every code this type can give, in table order.
            pub fn codes() -> ::std::vec::Vec<&'static str> {
                #[allow(unused_mut)]
                let mut all = ::std::vec![$( $code ),+];
                $( $( all.extend(<$dty>::codes()); )+ )?
                all
            }
        }
    };
}
