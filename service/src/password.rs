//! Password hashing with Argon2id, on a small fixed pool of threads.
//!
//! One Argon2id hash at OWASP's parameters takes 19 MiB and ≈35 ms of one core. Run on Tokio's
//! blocking pool, every concurrent sign-in would take a thread and its 19 MiB (up to 512 of
//! them), so a burst of anonymous requests could exhaust the machine's memory. Here the hashes
//! run on one thread per core, fed by a short queue: memory is bounded by the number of threads,
//! a burst waits at most the time the queue takes to drain, and a request that finds the queue
//! full is refused at once with [`ServiceError::Busy`] (429 with `Retry-After`). Each thread
//! allocates its 19 MiB of Argon2 memory once and hashes in it every time: left to the
//! allocator, freed blocks of that size stay resident in several arenas (measured: 120 sign-ins
//! grew the process by 220 MB), where a buffer per thread holds it at threads × 19 MiB.

use crate::{Result, ServiceError};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::OsRng;
use std::sync::OnceLock;
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use tokio::sync::oneshot;

/// Argon2id at OWASP's recommended minimum: 19 MiB of memory, two passes, one lane.
pub fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes waiting for a thread, per thread, before new requests are refused.
pub const QUEUE_PER_THREAD: usize = 8;

/// What a refused request is told to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 2;

enum Job {
    Hash { password: String, reply: oneshot::Sender<Result<String>> },
    Verify { hash: String, password: String, reply: oneshot::Sender<bool> },
}

struct Pool {
    jobs: SyncSender<Job>,
    threads: usize,
}

/// The number of hashing threads: one per core.
pub fn threads() -> usize {
    pool().threads
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let (jobs, receiver) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || {
                let mut memory = Memory::default();
                loop {
                    // The lock is held only while taking the next job, not while hashing.
                    let job = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(Job::Hash { password, reply }) => {
                            let _ = reply.send(hash_now(&mut memory, &password));
                        }
                        Ok(Job::Verify { hash, password, reply }) => {
                            let _ = reply.send(verify_now(&mut memory, &hash, &password));
                        }
                        Err(_) => return,
                    }
                }
            });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a password-hashing thread");
            }
        }
        Pool { jobs, threads }
    })
}

/// The most memory a stored hash may make a check use (its `m` parameter, in KiB blocks).
const MAX_M_COST: u32 = 64 * 1024;

/// One thread's Argon2 memory, allocated once and reused by every hash on that thread.
#[derive(Default)]
struct Memory {
    blocks: Vec<Block>,
}

impl Memory {
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.blocks.len() < count {
            self.blocks.resize(count, Block::default());
        }
        &mut self.blocks[..count]
    }
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), as `PasswordHasher` writes it.
fn hash_now(memory: &mut Memory, password: &str) -> Result<String> {
    let failed = |e: &dyn std::fmt::Display| ServiceError::Corrupt(format!("hashing failed: {e}"));
    let argon = argon2();
    let params = argon.params().clone();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| failed(&e))?;
    let output = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        Ok(argon.hash_password_into_with_memory(
            password.as_bytes(),
            salt_bytes,
            out,
            memory.blocks(params.block_count()),
        )?)
    })
    .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored` (any Argon2 variant and version, with the
/// parameters it names, up to [`MAX_M_COST`]); the outputs are compared in constant time.
fn verify_now(memory: &mut Memory, stored: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) =
        (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else { return false };
    if params.m_cost() > MAX_M_COST {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return false };
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params.clone());
    let mut out = vec![0u8; expected.len()];
    argon
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory.blocks(params.block_count()))
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

fn submit(job: Job) -> Result<()> {
    match pool().jobs.try_send(job) {
        Ok(()) => Ok(()),
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password hashing queue full: request refused");
            Err(ServiceError::Busy { retry_after_seconds: RETRY_AFTER_SECONDS })
        }
        Err(TrySendError::Disconnected(_)) => Err(ServiceError::Corrupt("no password-hashing thread".into())),
    }
}

/// Hashes a password for storing, or refuses at once when too many hashes are waiting.
pub async fn hash(password: &str) -> Result<String> {
    let (reply, answer) = oneshot::channel();
    submit(Job::Hash { password: password.to_owned(), reply })?;
    answer.await.map_err(|_| ServiceError::Corrupt("password-hashing thread stopped".into()))?
}

/// Checks a password against a stored hash, or refuses at once when too many hashes are
/// waiting.
pub async fn verify(hash: String, password: &str) -> Result<bool> {
    let (reply, answer) = oneshot::channel();
    submit(Job::Verify { hash, password: password.to_owned(), reply })?;
    answer.await.map_err(|_| ServiceError::Corrupt("password-hashing thread stopped".into()))
}

/// A hash to check against when the account does not exist, so that an unknown account takes as
/// long to refuse as a wrong password.
pub async fn dummy_hash() -> Result<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash.clone());
    }
    let hash = hash("not a password anyone has").await?;
    Ok(DUMMY.get_or_init(|| hash).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters_and_read_by_the_standard_verifier() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let mut memory = Memory::default();
        let hash = hash_now(&mut memory, "correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_now(&mut memory, &hash, "correct horse battery staple"));
        assert!(!verify_now(&mut memory, &hash, "correct horse battery stapler"));
        assert!(!verify_now(&mut memory, "not a hash", "x"));
        // The crate's own verifier accepts what this module writes, and the reverse: hashes
        // stored before this module existed keep working.
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(argon2().verify_password(b"correct horse battery staple", &parsed).is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let standard = argon2().hash_password(b"an older stored password", &salt).unwrap().to_string();
        assert!(verify_now(&mut memory, &standard, "an older stored password"));
        assert_eq!(memory.blocks.len(), 19 * 1024, "one buffer of 19 MiB, reused");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_beyond_the_queue_is_refused_at_once_and_the_rest_complete() {
        let burst = threads() * (QUEUE_PER_THREAD + 1) + 24;
        let attempts: Vec<_> =
            (0..burst).map(|_| tokio::spawn(async { hash("a password in a burst").await })).collect();
        let mut hashed = 0;
        let mut refused = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => hashed += 1,
                Err(ServiceError::Busy { retry_after_seconds }) => {
                    assert!(retry_after_seconds > 0);
                    refused += 1;
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert!(refused > 0, "{burst} at once must overflow a queue of {}", threads() * QUEUE_PER_THREAD);
        assert!(hashed >= threads() * QUEUE_PER_THREAD, "the queue's worth is hashed: {hashed}");
        // Once the burst has drained, hashing works again.
        assert!(hash("after the burst").await.is_ok());
    }
}
