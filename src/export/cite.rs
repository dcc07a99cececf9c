//! Plain-text citations of sources, for the detail pane, `show`, Markdown and iCalendar, in
//! the bibliography style of the Chicago Manual of Style (17th ed.): `Author. "Title."
//! Container. Publisher, Date. URL.`, with the first author inverted (`Li, Kunhan`), the others
//! in natural order, and the list joined by commas and "and" (`Li, Kunhan, and Maximilian
//! Mayer`). Institutions are named as they are.

use super::sources::{authors, Name};
use crate::domain::Source;

/// The author list: first person inverted, then natural order, joined as Chicago joins them.
pub fn author_list(s: &Source) -> Option<String> {
    let all = authors(s);
    // Two names take a comma before "and" only after an inverted first name.
    let inverted = matches!(all.first(), Some(Name::Person { .. }));
    let names: Vec<String> = all
        .into_iter()
        .enumerate()
        .map(|(i, n)| match n {
            Name::Person { family, given } if i == 0 => format!("{family}, {given}"),
            Name::Person { family, given } => format!("{given} {family}"),
            Name::Literal(l) => l,
        })
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [a, b] if inverted => Some(format!("{a}, and {b}")),
        [a, b] => Some(format!("{a} and {b}")),
        [rest @ .., last] => Some(format!("{}, and {last}", rest.join(", "))),
    }
}

/// A one-line citation: `Author. "Title". Container. Publisher, Date. URL. doi:DOI`.
pub fn citation(s: &Source) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(a) = author_list(s) {
        parts.push(format!("{}.", a.trim_end_matches('.')));
    }
    parts.push(format!("“{}”.", s.title.trim_end_matches('.')));
    if let Some(c) = &s.container {
        parts.push(format!("{c}."));
    }
    let mut imprint = Vec::new();
    if let Some(p) = s
        .publisher
        .as_ref()
        .filter(|p| Some(*p) != s.author.as_ref() && Some(*p) != s.container.as_ref())
    {
        imprint.push(p.clone());
    }
    imprint.push(s.issued.map_or_else(|| "n.d.".to_string(), |d| d.human()));
    parts.push(format!("{}.", imprint.join(", ").trim_end_matches('.')));
    if let Some(u) = &s.url {
        parts.push(u.clone());
    }
    if let Some(d) = &s.doi {
        parts.push(format!("doi:{d}"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceType;

    #[test]
    fn author_lists_follow_chicago() {
        let with = |a: &str| Source {
            author: Some(a.into()),
            ..source()
        };
        assert_eq!(
            author_list(&with("Li, Kunhan;Mayer, Maximilian")).as_deref(),
            Some("Li, Kunhan, and Maximilian Mayer")
        );
        assert_eq!(
            author_list(&with("Qiu, Bingqing; Hu, Zhe; Wang, Li")).as_deref(),
            Some("Qiu, Bingqing, Zhe Hu, and Li Wang")
        );
        assert_eq!(
            author_list(&with(
                "United Nations Office for Outer Space Affairs;China Manned Space Engineering Office"
            ))
            .as_deref(),
            Some(
                "United Nations Office for Outer Space Affairs and China Manned Space \
                 Engineering Office"
            )
        );
        assert!(citation(&with("Li, Kunhan;Mayer, Maximilian"))
            .starts_with("Li, Kunhan, and Maximilian Mayer. “Outer Space Treaty”."));
    }

    fn source() -> Source {
        Source {
            id: "x".into(),
            source_type: SourceType::Webpage,
            author: None,
            title: "Outer Space Treaty".into(),
            container: None,
            publisher: None,
            issued: None,
            url: None,
            doi: None,
            language: None,
            accessed: None,
        }
    }

    #[test]
    fn undated_sources_end_with_one_full_stop() {
        let s = Source {
            id: "x".into(),
            source_type: SourceType::Webpage,
            author: None,
            title: "Outer Space Treaty".into(),
            container: None,
            publisher: Some("ILPI".into()),
            issued: None,
            url: None,
            doi: None,
            language: None,
            accessed: None,
        };
        assert_eq!(citation(&s), "“Outer Space Treaty”. ILPI, n.d.");
    }

    #[test]
    fn cites_with_partial_date_and_url() {
        let s = Source {
            id: "x".into(),
            source_type: SourceType::Webpage,
            author: Some("UNOOSA".into()),
            title: "United Nations and China Agree to Increased Space Co-operation".into(),
            container: None,
            publisher: Some("UNOOSA".into()),
            issued: Some("2016-06-16".parse().unwrap()),
            url: Some(
                "https://www.unoosa.org/oosa/en/informationfor/media/2016-unis-os-468.html".into(),
            ),
            doi: None,
            language: Some("en".into()),
            accessed: None,
        };
        assert_eq!(
            citation(&s),
            "UNOOSA. “United Nations and China Agree to Increased Space Co-operation”. 2016-06-16. https://www.unoosa.org/oosa/en/informationfor/media/2016-unis-os-468.html"
        );
    }

    #[test]
    fn undated_sources_read_n_d_once() {
        let s = Source {
            id: "x".into(),
            source_type: SourceType::ArticleNewspaper,
            author: None,
            title: "Nicaragua signs up".into(),
            container: Some("SpaceNews".into()),
            publisher: None,
            issued: None,
            url: Some("https://spacenews.com/x".into()),
            doi: None,
            language: None,
            accessed: None,
        };
        assert_eq!(
            citation(&s),
            "“Nicaragua signs up”. SpaceNews. n.d. https://spacenews.com/x"
        );
    }
}
