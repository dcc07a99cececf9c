//! Reading and measuring side by side: the measures of whole programmes read each programme's
//! tally from the database (one connection, so one thread) and then measure it (its partner
//! network over up to hundreds of thousands of ties), at about the same cost. Here the next
//! items are read on the calling thread while other threads measure those before.

use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

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
/// said to stop. `read` runs on this thread and `measure` on as many others as there are
/// cores, from one to four: on two cores the reading thread is itself idle half the time, and
/// the system gives its share to a second measuring thread. The hand-over waits when two
/// readings already wait, so that a few items' readings at most are held at once. A read
/// error ends it with that error, once the measuring threads are done.
pub fn read_and_measure<T, R: Send, M: Send, E>(
    items: impl IntoIterator<Item = T>,
    mut read: impl FnMut(T) -> Result<Read<R>, E>,
    measure: impl Fn(R) -> M + Sync,
) -> Result<Option<Vec<M>>, E> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
    std::thread::scope(|s| {
        let (readings, received) = sync_channel::<(usize, R)>(2);
        // Held by the measuring threads alone: once all of them have ended (a measure
        // panicked), the receiver is gone and the next hand-over fails instead of waiting
        // forever for room.
        let received = Arc::new(Mutex::new(received));
        let measure = &measure;
        let measuring: Vec<_> = (0..workers)
            .map(|_| {
                let received = Arc::clone(&received);
                s.spawn(move || {
                    let mut out = Vec::new();
                    // The lock is held only while waiting for the next reading.
                    while let Some((i, r)) = next(&received) {
                        out.push((i, measure(r)));
                    }
                    out
                })
            })
            .collect();
        drop(received);
        let mut outcome = Ok(true);
        let mut sent = 0;
        for item in items {
            match read(item) {
                Ok(Read::Measure(r)) => {
                    // The measuring threads only stop by panicking, which the join reports.
                    if readings.send((sent, r)).is_err() {
                        break;
                    }
                    sent += 1;
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
        let mut measured = Vec::with_capacity(sent);
        for worker in measuring {
            match worker.join() {
                Ok(part) => measured.extend(part),
                // A panic in a measure is a bug: raised here as it would have been inline.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        measured.sort_unstable_by_key(|(i, _)| *i);
        outcome.map(|whole| whole.then(|| measured.into_iter().map(|(_, m)| m).collect()))
    })
}

/// The next reading, or `None` once the reader is done (or a measuring thread panicked while
/// holding the lock, which its join reports).
fn next<R>(received: &Mutex<Receiver<R>>) -> Option<R> {
    received.lock().ok()?.recv().ok()
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

    /// A measure that panics (a bug) is raised on the calling thread, however many items
    /// are still to be read, instead of the reading waiting for threads that are gone.
    #[test]
    fn a_panicking_measure_is_raised_not_waited_for() {
        let outcome = std::panic::catch_unwind(|| {
            read_and_measure(
                0..1000,
                |i| Ok::<_, ()>(Read::Measure(i)),
                |i: i32| -> i32 { panic!("cannot measure {i}") },
            )
        });
        assert!(outcome.is_err());
    }
}
