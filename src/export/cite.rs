//! Plain-text citations of sources, for the detail pane and `show`.

use crate::domain::Source;

/// A one-line citation: `Author. "Title". Container. Publisher, Date. URL. doi:DOI`.
pub fn citation(s: &Source) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(a) = &s.author {
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
