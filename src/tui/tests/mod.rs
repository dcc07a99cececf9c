//! Test kit for the browser: the fixture dataset, an app driven synchronously (requests
//! answered on the spot with `worker::respond`, no thread) and drawn on a `TestBackend`.

mod compare_tests;
mod edit_snapshots;
mod edit_tests;
mod export_tests;
mod update_tests;
mod view_snapshots;

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::layout::Drawn;
use super::views::theme::Theme;
use super::{views, worker, Action, App};
use crate::db::Db;
use crate::domain::KnownIds;
use crate::domain::{Catalog, Dataset};
use crate::import::{read_tables, TableKind};
use crate::tui::action::TextEdit;

/// The hand-checked fixture dataset of `tests/fixtures/mini`.
pub fn mini_dataset() -> Dataset {
    let files: Vec<(&str, &[u8], TableKind)> = vec![
        (
            "programmes.csv",
            include_bytes!("../../../tests/fixtures/mini/programmes.csv"),
            TableKind::Programmes,
        ),
        (
            "actors.csv",
            include_bytes!("../../../tests/fixtures/mini/actors.csv"),
            TableKind::Actors,
        ),
        (
            "institutions.csv",
            include_bytes!("../../../tests/fixtures/mini/institutions.csv"),
            TableKind::Institutions,
        ),
        (
            "institution_members.csv",
            include_bytes!("../../../tests/fixtures/mini/institution_members.csv"),
            TableKind::Memberships,
        ),
        (
            "sources.csv",
            include_bytes!("../../../tests/fixtures/mini/sources.csv"),
            TableKind::Sources,
        ),
        (
            "events.csv",
            include_bytes!("../../../tests/fixtures/mini/events.csv"),
            TableKind::Events,
        ),
    ];
    read_tables(&files, &KnownIds::default()).expect("the fixtures are valid")
}

/// The ids of the rows the app holds, in order.
pub fn ids(kit: &Kit) -> Vec<String> {
    kit.app
        .rows
        .rows
        .iter()
        .map(|f| f.event.id.clone())
        .collect()
}

/// A browser over `data` at `w`×`h`, with its first answer applied.
pub struct Kit {
    pub db: Db,
    pub catalog: Catalog,
    pub app: App,
    /// The worker's state: the result set, the corpus and the newest query.
    state: worker::State,
}

impl Kit {
    pub fn with(data: &Dataset, w: u16, h: u16) -> Kit {
        let mut db = Db::open_in_memory().expect("in-memory db");
        db.insert_dataset(data).expect("dataset loads");
        Kit::on(db, w, h)
    }

    /// A browser over an open database.
    pub fn on(db: Db, w: u16, h: u16) -> Kit {
        let catalog = db.catalog().expect("catalog");
        Kit::on_catalog(db, catalog, w, h)
    }

    /// A browser over an open database, the app and the worker sharing `catalog`.
    pub fn on_catalog(db: Db, catalog: Catalog, w: u16, h: u16) -> Kit {
        let mut app = App::new(catalog.clone(), Theme::colour());
        app.update(Action::Resize(w, h));
        let mut kit = Kit {
            db,
            catalog,
            app,
            state: worker::State::default(),
        };
        kit.pump();
        kit
    }

    pub fn mini(w: u16, h: u16) -> Kit {
        Kit::with(&mini_dataset(), w, h)
    }

    /// Makes `job` as the worker would between the app's requests (as another part of the
    /// app did), and hands the app every reply.
    pub fn write_behind(&mut self, job: worker::WriteJob) {
        let replies = worker::serve(
            &mut self.db,
            &self.catalog,
            &mut self.state,
            vec![worker::Job::Write(job)],
            &|_| false,
        );
        for reply in replies {
            self.app.receive(reply);
        }
        self.pump();
    }

    /// Runs every pending write and answers every pending request, as the worker would.
    pub fn pump(&mut self) {
        loop {
            let mut jobs: Vec<worker::Job> = self
                .app
                .take_writes()
                .into_iter()
                .map(worker::Job::Write)
                .collect();
            jobs.extend(self.app.take_request().map(worker::Job::Query));
            jobs.extend(self.app.take_moves());
            if jobs.is_empty() {
                return;
            }
            let replies =
                worker::serve(&mut self.db, &self.catalog, &mut self.state, jobs, &|_| {
                    false
                });
            for reply in replies {
                self.app.receive(reply);
            }
        }
    }

    /// Applies actions, answering queries and drawing after each, as the loop does.
    pub fn act(&mut self, actions: &[Action]) -> &mut Kit {
        for a in actions {
            self.app.update(*a);
            self.pump();
            self.frame();
        }
        self
    }

    /// Draws a frame and hands the app what it drew (its scroll limits), as the loop does.
    pub fn frame(&mut self) {
        let (w, h) = self.app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        let mut drawn = Drawn::default();
        t.draw(|f| drawn = views::render(f, &self.app))
            .expect("draws");
        self.app.drawn(drawn);
    }

    /// Types text into the search box (which must be open).
    pub fn type_text(&mut self, text: &str) -> &mut Kit {
        for c in text.chars() {
            self.app.update(Action::Text(TextEdit::Input(c)));
        }
        self.pump();
        self
    }

    /// Draws the app on a test terminal of its size.
    pub fn draw(&self) -> Terminal<TestBackend> {
        let (w, h) = self.app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        t.draw(|f| {
            views::render(f, &self.app);
        })
        .expect("draws");
        t
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let t = self.draw();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = crate::text::width(sym).saturating_sub(1);
                out.push_str(sym);
            }
            out.push('\n');
        }
        out
    }
}
