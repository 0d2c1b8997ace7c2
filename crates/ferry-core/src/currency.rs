//! The currency an organisation budgets in, from its country: the exit plan's budget
//! is written in it unless the person chose another.

/// Letters in an ISO 4217 code (`EUR`): the most the budget's currency field takes.
pub const CODE_LEN: usize = 3;

/// Whether `code` is written as an ISO 4217 code: three capital letters.
pub fn is_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.chars().all(|c| c.is_ascii_uppercase())
}

/// The ISO 4217 code for `country` (ISO 3166 alpha-2), for the countries Ferry's users
/// are in; `None` where Ferry does not know, so nothing is guessed.
pub fn for_country(country: &str) -> Option<&'static str> {
    const EURO: &[&str] = &[
        "AD", "AT", "BE", "BG", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT",
        "LU", "LV", "MC", "ME", "MT", "NL", "PT", "SI", "SK", "SM", "VA", "XK",
    ];
    let c = country.trim().to_ascii_uppercase();
    if EURO.contains(&c.as_str()) {
        return Some("EUR");
    }
    Some(match c.as_str() {
        "NO" => "NOK",
        "SE" => "SEK",
        "DK" | "FO" | "GL" => "DKK",
        "IS" => "ISK",
        "CH" | "LI" => "CHF",
        "GB" => "GBP",
        "PL" => "PLN",
        "CZ" => "CZK",
        "HU" => "HUF",
        "RO" => "RON",
        "RS" => "RSD",
        "BA" => "BAM",
        "MK" => "MKD",
        "AL" => "ALL",
        "UA" => "UAH",
        "TR" => "TRY",
        "US" => "USD",
        "CA" => "CAD",
        "AU" => "AUD",
        "NZ" => "NZD",
        "MX" => "MXN",
        "AR" => "ARS",
        "CL" => "CLP",
        "CO" => "COP",
        "PE" => "PEN",
        "UY" => "UYU",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{for_country, is_code};

    #[test]
    fn currencies_of_the_countries_ferry_speaks_for() {
        assert_eq!(for_country("NO"), Some("NOK"));
        assert_eq!(for_country("de"), Some("EUR"));
        assert_eq!(for_country("ES"), Some("EUR"));
        assert_eq!(for_country("BG"), Some("EUR"), "in the euro since 2026");
        assert_eq!(for_country("GB"), Some("GBP"));
        assert_eq!(for_country("AQ"), None, "not guessed");
    }

    #[test]
    fn a_code_is_three_capital_letters() {
        assert!(is_code("NOK"));
        assert!(!is_code("nok") && !is_code("NO") && !is_code("NOKK") && !is_code("N0K"));
    }
}
