//! Reading and measuring side by side: the measures of whole programmes read each programme's
//! tally from the database (one connection, so one thread) and then measure it (its partner
//! network over up to hundreds of thousands of ties), at about the same cost. Here the next
//! item is read on the calling thread while a second thread measures the one before.

use std::sync::mpsc::sync_channel;

/// What reading one item gave.
pub enum Read<R> {
    /// Something to measure.
    Measure(R),
    /// Nothing for this item; go on.
    Skip,
    /// Stop here: the caller no longer wants the result (a newer request came).
    Stop,
}

/// `measure` of what `read` gives for each of `items`, in their order; `Ok(None)` when `read`
/// said to stop. `read` runs on this thread and `measure` on another, one item apart: the
/// hand-over waits for the measuring thread, so that at most two items' readings are held
/// at once. A read error ends it with that error, once the measuring thread is done.
pub fn read_and_measure<T, R: Send, M: Send, E>(
    items: impl IntoIterator<Item = T>,
    mut read: impl FnMut(T) -> Result<Read<R>, E>,
    measure: impl Fn(R) -> M + Sync,
) -> Result<Option<Vec<M>>, E> {
    std::thread::scope(|s| {
        let (readings, received) = sync_channel::<R>(0);
        let measure = &measure;
        let measuring = s.spawn(move || received.into_iter().map(measure).collect::<Vec<M>>());
        let mut outcome = Ok(true);
        for item in items {
            match read(item) {
                Ok(Read::Measure(r)) => {
                    // The measuring thread only stops by panicking, which the join reports.
                    if readings.send(r).is_err() {
                        break;
                    }
                }
                Ok(Read::Skip) => {}
                Ok(Read::Stop) => {
                    outcome = Ok(false);
                    break;
                }
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        drop(readings);
        let measured = match measuring.join() {
            Ok(measured) => measured,
            // A panic in a measure is a bug: raised here as it would have been inline.
            Err(panic) => std::panic::resume_unwind(panic),
        };
        outcome.map(|whole| whole.then_some(measured))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_in_order_skipping_and_stopping_as_read_says() {
        let squares = read_and_measure(
            0..10,
            |i| {
                Ok::<_, ()>(if i % 3 == 0 {
                    Read::Skip
                } else {
                    Read::Measure(i)
                })
            },
            |i: i32| i * i,
        );
        assert_eq!(squares, Ok(Some(vec![1, 4, 16, 25, 49, 64])));
        let stopped = read_and_measure(
            0..10,
            |i| Ok::<_, ()>(if i == 4 { Read::Stop } else { Read::Measure(i) }),
            |i: i32| i,
        );
        assert_eq!(stopped, Ok(None));
        let failed = read_and_measure(
            0..10,
            |i| {
                if i == 2 {
                    Err("cannot read 2")
                } else {
                    Ok(Read::Measure(i))
                }
            },
            |i: i32| i,
        );
        assert_eq!(failed, Err("cannot read 2"));
        let none = read_and_measure(Vec::<i32>::new(), |i| Ok::<_, ()>(Read::Measure(i)), |i| i);
        assert_eq!(none, Ok(Some(Vec::new())));
    }
}
