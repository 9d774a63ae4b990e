//! Azure public cloud region names (`az account list-locations --query "[].name"`, physical
//! regions only), for the location check and its did-you-mean.
//!
//! Sovereign clouds (US Government, China) use their own names and are not listed.

/// Region names as ARM and `az` print them: lower case, no spaces.
pub static REGIONS: &[&str] = &[
    "australiacentral",
    "australiacentral2",
    "australiaeast",
    "australiasoutheast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "brazilsoutheast",
    "canadacentral",
    "canadaeast",
    "centralindia",
    "centralus",
    "centraluseuap",
    "chilecentral",
    "denmarkeast",
    "eastasia",
    "eastus",
    "eastus2",
    "eastus2euap",
    "francecentral",
    "francesouth",
    "germanynorth",
    "germanywestcentral",
    "indonesiacentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "jioindiacentral",
    "jioindiawest",
    "koreacentral",
    "koreasouth",
    "malaysiawest",
    "mexicocentral",
    "newzealandnorth",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "norwaywest",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southafricawest",
    "southcentralus",
    "southeastasia",
    "southindia",
    "spaincentral",
    "swedencentral",
    "swedensouth",
    "switzerlandnorth",
    "switzerlandwest",
    "taiwannorth",
    "taiwannorthwest",
    "uaecentral",
    "uaenorth",
    "uksouth",
    "ukwest",
    "westcentralus",
    "westeurope",
    "westindia",
    "westus",
    "westus2",
    "westus3",
];

/// Whether `name` is a region name exactly as ARM writes it.
pub fn is_known(name: &str) -> bool {
    REGIONS.contains(&name)
}

/// The region a near miss probably meant: a display name (`West Europe`) or a typo.
pub fn suggest(name: &str) -> Option<&'static str> {
    let squashed: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect::<String>()
        .to_lowercase();
    REGIONS
        .iter()
        .copied()
        .find(|r| *r == squashed)
        .or_else(|| crate::suggest::closest(&squashed, REGIONS.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_lower_case_and_unique() {
        assert!(REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(REGIONS.iter().all(|r| r
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
    }

    #[test]
    fn suggests_the_name_for_display_names_and_typos() {
        assert!(is_known("westeurope"));
        assert!(!is_known("West Europe"));
        assert_eq!(suggest("West Europe"), Some("westeurope"));
        assert_eq!(suggest("westeurop"), Some("westeurope"));
        assert_eq!(suggest("sweden-central"), Some("swedencentral"));
        assert_eq!(suggest("mars"), None);
    }
}
