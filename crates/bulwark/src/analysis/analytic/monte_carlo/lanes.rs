//! The bit-sliced engine of the Monte Carlo: 512 trials at once, one bit per trial.
//!
//! A block of [`BLOCK_TRIALS`] trials is a set of lanes; every event of the model's story (the
//! defence works, a warhead is discriminated, a shot kills, the look misreads) is a mask with one
//! bit per trial, and the story's logic is AND, OR and NOT on masks. Each event is still drawn
//! per trial and per shot, exactly with its probability:
//!
//! **Exact Bernoulli draws, bit-sliced.** A probability p becomes the integer t = ⌈p·2⁵³⌉, and a
//! trial's event happens when a uniform 53-bit integer m is below t (the same rule as the
//! per-trial engine, `rand`'s u < p). The bits of m are drawn most significant first, one random
//! 64-bit word per bit position for 64 trials at once, and compared with the bits of t as they
//! come: where t's bit is 1 and m's is 0, m < t is decided true; where t's bit is 0 and m's is 1,
//! decided false; elsewhere still open. Drawing stops when every lane is decided or t's remaining
//! bits are all zero (then m ≥ t in every open lane). This is sampling by comparing random bits
//! with the binary expansion of p (Knuth & Yao, "The complexity of nonuniform random number
//! generation", 1976). A lane needs two bits on average; a block of 512 lanes needs about
//! log₂(512) + 1.3 ≈ 10.3 words per 64 lanes when all lanes draw, fewer when only some do (the
//! second shot of a salvo is drawn only where the object is still alive), instead of one 64-bit
//! draw per trial.
//!
//! **Generator.** Eight SFC64 generators, one per 64-lane word (Doty-Humphrey's "small fast
//! chaotic" generator of PractRand, one of NumPy's bit generators; ten vector operations per
//! output), seeded from the keyed stream `random::stream(seed, block, 1)` and warmed up as NumPy
//! does, so each block's draws depend only on the seed and the block's index, never on the
//! threads. The eight are stepped together, in two AVX2
//! registers where the CPU has AVX2 (checked at run time; the same bits either way).
//!
//! **Counting.** The leakers of each trial are counted in a bit-sliced binary counter (one mask
//! per bit of the count), the histogram read off it by comparing the planes with each count, and
//! the interceptors fired summed with population counts.
//!
//! The engine covers every feature of the model whose outcome does not depend on a per-trial
//! count: common-mode failure, a detection shared by the tiers (per raid: one mask after the
//! common-mode draw; per warhead: one mask per warhead, its decoys drawn right after it, in its
//! lanes only), discrimination, decoys, salvo and shoot-look-shoot with imperfect kill
//! assessment, two tiers. A stock that can run short needs the number of believed objects
//! of each trial and a random subset of them, which the per-trial engine draws; [`applies`]
//! says when the stock can never run short.

use super::super::{AnalyticInputs, DetectionScope, MAX_WARHEADS, Tier};
use super::Tally;
use crate::random::stream;
use rand::Rng;

/// 64-lane words per mask.
const WORDS: usize = 8;
/// Trials per block: one per bit of a mask.
pub(super) const BLOCK_TRIALS: u64 = 64 * WORDS as u64;
/// Bits of the uniform integer that a probability is compared with (as `rand`'s f64 draws).
const DRAW_BITS: u32 = 53;
/// Binary digits of the largest leaker count.
const COUNT_BITS: usize = (u32::BITS - MAX_WARHEADS.leading_zeros()) as usize;

/// 512 bits, one per trial of a block: the operations the engine needs, so that the same engine
/// runs on eight `u64` words anywhere and in two AVX2 registers where the CPU has them (the same bits
/// either way: only integer operations).
trait Lanes: Copy {
    /// The lanes of eight words (lane 64·w + b is bit b of word w).
    fn from_words(w: [u64; WORDS]) -> Self;
    /// The eight words.
    fn words(self) -> [u64; WORDS];
    /// Every word equal to `x`.
    fn splat(x: u64) -> Self;
    /// `self & o`.
    fn and(self, o: Self) -> Self;
    /// `self | o`.
    fn or(self, o: Self) -> Self;
    /// `self ^ o`.
    fn xor(self, o: Self) -> Self;
    /// `self & !o`.
    fn and_not(self, o: Self) -> Self;
    /// Word-wise wrapping 64-bit addition.
    fn add(self, o: Self) -> Self;
    /// Word-wise 64-bit left shift by N.
    fn shl<const N: i32>(self) -> Self;
    /// Word-wise 64-bit logical right shift by N.
    fn shr<const N: i32>(self) -> Self;
    /// No lane set.
    fn is_empty(self) -> bool;
    /// Lanes set.
    fn count(self) -> u64;

    /// No lane set.
    #[inline(always)]
    fn none() -> Self {
        Self::splat(0)
    }
}

/// The portable lanes: eight words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Words([u64; WORDS]);

impl Lanes for Words {
    #[inline(always)]
    fn from_words(w: [u64; WORDS]) -> Self {
        Self(w)
    }
    #[inline(always)]
    fn words(self) -> [u64; WORDS] {
        self.0
    }
    #[inline(always)]
    fn splat(x: u64) -> Self {
        Self([x; WORDS])
    }
    #[inline(always)]
    fn and(self, o: Self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] & o.0[w]))
    }
    #[inline(always)]
    fn or(self, o: Self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] | o.0[w]))
    }
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] ^ o.0[w]))
    }
    #[inline(always)]
    fn and_not(self, o: Self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] & !o.0[w]))
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Self(std::array::from_fn(|w| self.0[w].wrapping_add(o.0[w])))
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] << N))
    }
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        Self(std::array::from_fn(|w| self.0[w] >> N))
    }
    #[inline(always)]
    fn is_empty(self) -> bool {
        self.0.iter().fold(0, |a, &w| a | w) == 0
    }
    #[inline(always)]
    fn count(self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

#[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
mod avx2 {
    //! The lanes in two AVX2 registers. The methods are only ever called from
    //! [`super::LanePlan::block`]'s AVX2 path, after the CPU was checked for AVX2 and POPCNT.
    use std::arch::x86_64::*;

    use super::{Lanes, WORDS};

    /// 256-bit registers per block.
    const REGISTERS: usize = WORDS / 4;

    /// The lanes of a block in AVX2 registers.
    #[derive(Debug, Clone, Copy)]
    pub(super) struct Avx2([__m256i; REGISTERS]);

    impl Avx2 {
        #[inline(always)]
        fn map2(self, o: Self, f: impl Fn(__m256i, __m256i) -> __m256i) -> Self {
            Self(std::array::from_fn(|i| f(self.0[i], o.0[i])))
        }
    }

    // SAFETY (every method): the CPU supports AVX2 (see the module documentation).
    impl Lanes for Avx2 {
        #[inline(always)]
        fn from_words(w: [u64; WORDS]) -> Self {
            Self(std::array::from_fn(|i| unsafe {
                _mm256_loadu_si256(w[4 * i..].as_ptr().cast())
            }))
        }
        #[inline(always)]
        fn words(self) -> [u64; WORDS] {
            let mut w = [0u64; WORDS];
            for (i, r) in self.0.iter().enumerate() {
                unsafe { _mm256_storeu_si256(w[4 * i..].as_mut_ptr().cast(), *r) };
            }
            w
        }
        #[inline(always)]
        fn splat(x: u64) -> Self {
            let v = unsafe { _mm256_set1_epi64x(x as i64) };
            Self([v; REGISTERS])
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            self.map2(o, |a, b| unsafe { _mm256_and_si256(a, b) })
        }
        #[inline(always)]
        fn or(self, o: Self) -> Self {
            self.map2(o, |a, b| unsafe { _mm256_or_si256(a, b) })
        }
        #[inline(always)]
        fn xor(self, o: Self) -> Self {
            self.map2(o, |a, b| unsafe { _mm256_xor_si256(a, b) })
        }
        #[inline(always)]
        fn and_not(self, o: Self) -> Self {
            self.map2(o, |a, b| unsafe { _mm256_andnot_si256(b, a) })
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            self.map2(o, |a, b| unsafe { _mm256_add_epi64(a, b) })
        }
        #[inline(always)]
        fn shl<const N: i32>(self) -> Self {
            self.map2(self, |a, _| unsafe { _mm256_slli_epi64::<N>(a) })
        }
        #[inline(always)]
        fn shr<const N: i32>(self) -> Self {
            self.map2(self, |a, _| unsafe { _mm256_srli_epi64::<N>(a) })
        }
        #[inline(always)]
        fn is_empty(self) -> bool {
            unsafe {
                let any = self
                    .0
                    .iter()
                    .fold(_mm256_setzero_si256(), |a, r| _mm256_or_si256(a, *r));
                _mm256_testz_si256(any, any) == 1
            }
        }
        #[inline(always)]
        fn count(self) -> u64 {
            self.words().iter().map(|w| u64::from(w.count_ones())).sum()
        }
    }
}

/// Eight SFC64 generators stepped together, one per 64-lane word: state words a, b, c of all
/// eight, and their common counter (all start at 1 and count together).
#[derive(Debug, Clone, Copy)]
struct LaneRng<M> {
    a: M,
    b: M,
    c: M,
    /// Shared by the eight (a scalar: it frees a register in the draw loop).
    counter: u64,
}

/// Outputs discarded after seeding, as NumPy's SFC64 does.
const WARM_UP: usize = 12;

/// The eight generators' seeds for a block, `seeds[i][w]` = state word i (a, b, c) of generator
/// w, from the keyed stream (seed, block, 1).
fn block_seeds(seed: u64, block: u64) -> [[u64; WORDS]; 3] {
    let mut key = stream(seed, block, 1);
    let mut s = [[0; WORDS]; 3];
    for row in s.iter_mut() {
        for v in row.iter_mut() {
            *v = key.next_u64();
        }
    }
    s
}

impl<M: Lanes> LaneRng<M> {
    /// Generators with state (a, b, c) from `seeds` and counter `counter`, not warmed up.
    #[inline(always)]
    fn with_state(seeds: &[[u64; WORDS]; 3], counter: u64) -> Self {
        Self {
            a: M::from_words(seeds[0]),
            b: M::from_words(seeds[1]),
            c: M::from_words(seeds[2]),
            counter,
        }
    }

    /// Seeded generators, warmed up.
    #[inline(always)]
    fn new(seeds: &[[u64; WORDS]; 3]) -> Self {
        let mut rng = Self::with_state(seeds, 1);
        for _ in 0..WARM_UP {
            rng.next();
        }
        rng
    }

    /// One output of each generator (SFC64: t = a + b + counter; a = b ⊕ (b ≫ 11);
    /// b = c + (c ≪ 3); c = rotl(c, 24) + t; counter + 1; the output is t).
    #[inline(always)]
    fn next(&mut self) -> M {
        let t = self.a.add(self.b).add(M::splat(self.counter));
        self.counter = self.counter.wrapping_add(1);
        self.a = self.b.xor(self.b.shr::<11>());
        self.b = self.c.add(self.c.shl::<3>());
        self.c = self.c.shl::<24>().or(self.c.shr::<40>()).add(t);
        t
    }
}

/// A probability as the threshold of a 53-bit uniform integer, t = ⌈p·2⁵³⌉ (exact: p·2⁵³ is a
/// binary shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Threshold {
    t: u64,
    /// The lowest set bit of t: below it t is zero, so an open lane is decided false there.
    low: u32,
}

impl Threshold {
    fn new(p: f64) -> Self {
        let t = (p * 9_007_199_254_740_992.0).ceil() as u64;
        Self {
            t,
            low: t.trailing_zeros().min(DRAW_BITS),
        }
    }

    /// For each lane of `lanes`, whether its event happens (m < t); lanes outside are 0. No
    /// words are drawn when p is 0 or 1 or no lane asks.
    #[inline(always)]
    fn draw<M: Lanes>(self, rng: &mut LaneRng<M>, lanes: M) -> M {
        if self.t == 0 || lanes.is_empty() {
            return M::none();
        }
        if self.t >= 1 << DRAW_BITS {
            return lanes;
        }
        let mut yes = M::none();
        let mut open = lanes;
        let mut bit = DRAW_BITS;
        while bit > self.low {
            bit -= 1;
            let r = rng.next();
            if (self.t >> bit) & 1 == 1 {
                // m's bit 0 under t's 1: decided, m < t; m's 1 stays open.
                yes = yes.or(open.and_not(r));
                open = open.and(r);
            } else {
                // m's bit 1 under t's 0: decided, m > t; m's 0 stays open.
                open = open.and_not(r);
            }
            if open.is_empty() {
                break;
            }
        }
        yes
    }
}

/// One tier, ready for the lanes.
#[derive(Debug, Clone, Copy)]
struct LaneTier {
    kill: Threshold,
    discrimination: Threshold,
    first: u32,
    /// 0 for a salvo.
    second: u32,
    false_kill: Threshold,
    false_alive: Threshold,
}

impl LaneTier {
    fn new(t: &Tier) -> Self {
        let (first, second, ka) = super::salvos_and_look(t);
        Self {
            kill: Threshold::new(t.shot_kill_probability()),
            discrimination: Threshold::new(t.discrimination),
            first,
            second,
            false_kill: Threshold::new(ka.false_kill),
            false_alive: Threshold::new(ka.false_alive),
        }
    }

    /// The lanes of `target` where the object survives `shots` shots, each drawn. Once no lane
    /// is left alive, further shots cannot change anything and are not drawn.
    #[inline(always)]
    fn salvo<M: Lanes>(&self, rng: &mut LaneRng<M>, target: M, shots: u32) -> M {
        let mut alive = target;
        for _ in 0..shots {
            alive = alive.and_not(self.kill.draw(rng, alive));
            if alive.is_empty() {
                break;
            }
        }
        alive
    }

    /// The first salvo at the `engaged` lanes and the look: (lanes alive after it, lanes assessed
    /// alive and so shot at again, interceptors fired).
    #[inline(always)]
    fn first_salvo_and_look<M: Lanes>(&self, rng: &mut LaneRng<M>, engaged: M) -> (M, M, u64) {
        let alive = self.salvo(rng, engaged, self.first);
        let mut fired = u64::from(self.first) * engaged.count();
        if self.second == 0 {
            return (alive, M::none(), fired);
        }
        // A survivor is missed by the look with f_k; a kill is taken for a survivor with f_a.
        let alive_seen = alive.and_not(self.false_kill.draw(rng, alive));
        let dead_seen_alive = self.false_alive.draw(rng, engaged.and_not(alive));
        let again = alive_seen.or(dead_seen_alive);
        fired += u64::from(self.second) * again.count();
        (alive, again, fired)
    }

    /// A warhead that reaches this tier in the `reach` lanes: (lanes where it leaks through,
    /// interceptors fired). Undiscriminated warheads are not engaged and leak.
    #[inline(always)]
    fn warhead<M: Lanes>(&self, rng: &mut LaneRng<M>, reach: M) -> (M, u64) {
        let engaged = self.discrimination.draw(rng, reach);
        let (alive, again, fired) = self.first_salvo_and_look(rng, engaged);
        let shot_again = again.and(alive);
        let alive = alive.and_not(shot_again).or(self.salvo(rng, shot_again, self.second));
        (reach.and_not(engaged).or(alive), fired)
    }

    /// A decoy engaged in the `engaged` lanes: interceptors fired (a second salvo at a decoy
    /// changes nothing, so it is counted, not drawn).
    #[inline(always)]
    fn decoy<M: Lanes>(&self, rng: &mut LaneRng<M>, engaged: M) -> u64 {
        if self.second == 0 {
            return u64::from(self.first) * engaged.count();
        }
        self.first_salvo_and_look(rng, engaged).2
    }
}

/// Leaker counts per lane, one mask per binary digit (`digits` of them in use).
#[derive(Debug, Clone, Copy)]
struct Counter<M> {
    planes: [M; COUNT_BITS],
    digits: usize,
}

impl<M: Lanes> Counter<M> {
    #[inline(always)]
    fn new(max: u32) -> Self {
        Self {
            planes: [M::none(); COUNT_BITS],
            digits: ((u32::BITS - max.leading_zeros()) as usize).clamp(1, COUNT_BITS),
        }
    }

    /// Adds one in the lanes of `m` (ripple carry; stops when no carry is left).
    #[inline(always)]
    fn add(&mut self, m: M) {
        let mut carry = m;
        for plane in self.planes[..self.digits].iter_mut() {
            if carry.is_empty() {
                return;
            }
            let next = plane.and(carry);
            *plane = plane.xor(carry);
            carry = next;
        }
    }

    /// Adds the histogram of the counts in the `valid` lanes to `counts` (counts[j]: lanes
    /// holding j).
    #[inline(always)]
    fn tally(&self, valid: M, counts: &mut [u64]) {
        let planes = &self.planes[..self.digits];
        if counts.len() <= 64 {
            for (j, c) in counts.iter_mut().enumerate() {
                let mut eq = valid;
                for (b, plane) in planes.iter().enumerate() {
                    eq = if (j >> b) & 1 == 1 {
                        eq.and(*plane)
                    } else {
                        eq.and_not(*plane)
                    };
                }
                *c += eq.count();
            }
        } else {
            let valid = valid.words();
            let mut words = [[0u64; WORDS]; COUNT_BITS];
            for (w, p) in words.iter_mut().zip(planes) {
                *w = p.words();
            }
            let words = &words[..planes.len()];
            for lane in 0..BLOCK_TRIALS as usize {
                let (w, bit) = (lane / 64, lane % 64);
                if (valid[w] >> bit) & 1 == 1 {
                    let j: usize = words
                        .iter()
                        .enumerate()
                        .map(|(b, p)| (((p[w] >> bit) & 1) as usize) << b)
                        .sum();
                    counts[j] += 1;
                }
            }
        }
    }
}

/// The model, ready for the lanes.
#[derive(Debug, Clone)]
pub(super) struct LanePlan {
    warheads: u32,
    decoys: u64,
    decoys_per_warhead: u64,
    /// A detection shared per raid, if any.
    raid_cue: Option<Threshold>,
    /// A detection shared per warhead, if any.
    warhead_cue: Option<Threshold>,
    decoy_engaged: Threshold,
    system_works: Threshold,
    upper: LaneTier,
    lower: Option<LaneTier>,
}

/// Whether no trial's stock can run short: the upper tier can engage every warhead and decoy,
/// and the lower tier every warhead.
pub(super) fn applies(inputs: &AnalyticInputs) -> bool {
    let objects = u64::from(inputs.warheads) * (1 + inputs.decoys_per_warhead());
    inputs.upper.engagement_capacity().is_none_or(|c| c >= objects)
        && inputs
            .lower
            .and_then(|t| t.engagement_capacity())
            .is_none_or(|c| c >= u64::from(inputs.warheads))
}

/// The first `n` lanes (n ≤ 512), as words.
fn first_lanes(n: u64) -> [u64; WORDS] {
    std::array::from_fn(|w| {
        let lanes = n.saturating_sub(64 * w as u64).min(64);
        if lanes == 64 { u64::MAX } else { (1u64 << lanes) - 1 }
    })
}

impl LanePlan {
    pub(super) fn new(inputs: &AnalyticInputs) -> Self {
        let cue = |scope| {
            inputs
                .shared_detection
                .filter(|c| c.scope == scope)
                .map(|c| Threshold::new(c.probability))
        };
        Self {
            warheads: inputs.warheads,
            decoys: u64::from(inputs.warheads) * inputs.decoys_per_warhead(),
            decoys_per_warhead: inputs.decoys_per_warhead(),
            raid_cue: cue(DetectionScope::Raid),
            warhead_cue: cue(DetectionScope::Warhead),
            decoy_engaged: Threshold::new(inputs.decoy_engage_probability()),
            system_works: Threshold::new(inputs.system_reliability),
            upper: LaneTier::new(&inputs.upper),
            lower: inputs.lower.as_ref().map(LaneTier::new),
        }
    }

    /// Runs trials [first, first + n) (n ≤ [`BLOCK_TRIALS`]; `first` a multiple of it) as block
    /// `first / BLOCK_TRIALS` into `tally`, in AVX2 registers where the CPU has them.
    pub(super) fn block(&self, seed: u64, first: u64, n: u64, tally: &mut Tally) {
        #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
        {
            if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("popcnt") {
                // SAFETY: the CPU has AVX2 and POPCNT (checked above).
                unsafe { self.block_avx2(seed, first, n, tally) };
                return;
            }
        }
        self.block_in::<Words>(seed, first, n, tally);
    }

    #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
    #[target_feature(enable = "avx2,popcnt")]
    fn block_avx2(&self, seed: u64, first: u64, n: u64, tally: &mut Tally) {
        self.block_in::<avx2::Avx2>(seed, first, n, tally);
    }

    #[inline(always)]
    fn block_in<M: Lanes>(&self, seed: u64, first: u64, n: u64, tally: &mut Tally) {
        let rng = &mut LaneRng::<M>::new(&block_seeds(seed, first / BLOCK_TRIALS));
        let valid = M::from_words(first_lanes(n));
        let mut counter = Counter::<M>::new(self.warheads);
        // Common-mode failure: in the lanes where the defence fails, every warhead leaks and
        // nothing is fired.
        let mut working = self.system_works.draw(rng, valid);
        // A detection shared per raid: where it fails, likewise.
        if let Some(cue) = &self.raid_cue {
            working = cue.draw(rng, working);
        }
        let failed = valid.and_not(working);
        for _ in 0..self.warheads {
            // A detection shared per warhead: neither tier sees the warhead (nor its decoys) in
            // the lanes where it fails, and the warhead leaks there.
            let seen = match &self.warhead_cue {
                Some(cue) => cue.draw(rng, working),
                None => working,
            };
            let (mut leak, fired) = self.upper.warhead(rng, seen);
            tally.upper += fired;
            if let Some(lower) = &self.lower
                && !leak.is_empty()
            {
                let (l, fired) = lower.warhead(rng, leak);
                leak = l;
                tally.lower += fired;
            }
            counter.add(leak.or(failed).or(working.and_not(seen)));
            if self.warhead_cue.is_some() {
                for _ in 0..self.decoys_per_warhead {
                    let engaged = self.decoy_engaged.draw(rng, seen);
                    tally.upper += self.upper.decoy(rng, engaged);
                }
            }
        }
        if self.warhead_cue.is_none() {
            for _ in 0..self.decoys {
                let engaged = self.decoy_engaged.draw(rng, working);
                tally.upper += self.upper.decoy(rng, engaged);
            }
        }
        counter.tally(valid, &mut tally.counts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const ALL: Words = Words([u64::MAX; WORDS]);

    fn rng(seed: u64, block: u64) -> LaneRng<Words> {
        LaneRng::new(&block_seeds(seed, block))
    }

    /// Every lane is SFC64 as NumPy 2.4 implements it: from the state a = 0x0123456789ABCDEF,
    /// b = 0xFEDCBA9876543210, c = 0x0F1E2D3C4B5A6978, counter 1, NumPy's `SFC64.random_raw(6)`
    /// gives these six outputs (set with `bit_generator.state`).
    #[test]
    fn lane_generators_are_sfc64() {
        const NUMPY: [u64; 6] = [
            0x0,
            0x86d2_f82d_cb88_add0,
            0xa6c4_c4a1_7e81_8026,
            0x9149_3b1c_4d1b_e112,
            0xfb56_ec33_809b_447c,
            0x1440_d778_8c82_180a,
        ];
        let state = [
            [0x0123_4567_89AB_CDEF; WORDS],
            [0xFEDC_BA98_7654_3210; WORDS],
            [0x0F1E_2D3C_4B5A_6978; WORDS],
        ];
        let mut lanes = LaneRng::<Words>::with_state(&state, 1);
        for want in NUMPY {
            assert_eq!(lanes.next().0, [want; WORDS]);
        }
        // Seeded lanes differ from each other and from block to block.
        let (x, y) = (rng(7, 3).next(), rng(7, 4).next());
        assert!(x.0.iter().zip(&y.0).all(|(a, b)| a != b));
        assert!((1..WORDS).all(|w| x.0[w] != x.0[0]));
    }

    /// The draw's result and the words it drew (replayed on a copy of the generator).
    fn draws_with_recorded_words(p: f64, lanes: Words, seed: u64) -> (Words, Vec<Words>) {
        let mut rng = rng(seed, 0);
        let mut copy = rng;
        let result = Threshold::new(p).draw(&mut rng, lanes);
        let mut words = Vec::new();
        while copy.counter != rng.counter {
            words.push(copy.next());
        }
        (result, words)
    }

    /// Bit-sliced draws decide exactly m < ⌈p·2⁵³⌉ for the lane's m, whose leading bits are the
    /// lane's bits of the words drawn (MSB first): every lane that the words decide is decided
    /// as the integer comparison says, and no lane is left open unless t's remaining bits are
    /// zero.
    #[test]
    fn bit_sliced_draws_are_the_integer_comparison() {
        for p in [0.72, 0.95, 0.05, 0.5, 0.75, 1.0 / 3.0, 1e-17, 1.0 - 1e-16, 0.0, 1.0] {
            let t = Threshold::new(p).t;
            for seed in 0..20 {
                let lanes = if seed % 2 == 0 {
                    ALL
                } else {
                    Words(first_lanes(100 + seed))
                };
                let (result, words) = draws_with_recorded_words(p, lanes, seed);
                for lane in 0..BLOCK_TRIALS as usize {
                    let (w, bit) = (lane / 64, lane % 64);
                    let got = (result.0[w] >> bit) & 1 == 1;
                    if (lanes.0[w] >> bit) & 1 == 0 {
                        assert!(!got, "p = {p}: a lane outside the mask was set");
                        continue;
                    }
                    if t == 0 || t >= 1 << 53 {
                        assert!(words.is_empty());
                        assert_eq!(got, t != 0);
                        continue;
                    }
                    // m's leading bits, and t's at the same places.
                    let k = words.len() as u32;
                    let m_lead: u64 = words.iter().fold(0, |a, wd| (a << 1) | ((wd.0[w] >> bit) & 1));
                    let t_lead = t >> (53 - k);
                    let t_rest = t & ((1u64 << (53 - k)) - 1);
                    let expected = if m_lead != t_lead {
                        m_lead < t_lead
                    } else {
                        // Undecided by the words: only allowed when t's remaining bits are 0,
                        // so m ≥ t.
                        assert_eq!(t_rest, 0, "p = {p}: lane {lane} left open");
                        false
                    };
                    assert_eq!(got, expected, "p = {p}, seed {seed}, lane {lane}");
                }
            }
        }
    }

    /// Frequencies: 512 × 4,000 draws at each p land within 5 standard errors of p.
    #[test]
    fn bit_sliced_draws_have_the_probability() {
        for p in [0.72, 0.95, 0.05, 1.0 / 3.0, 0.001] {
            let th = Threshold::new(p);
            let mut rng = rng(11, 0);
            let n = 4000 * BLOCK_TRIALS;
            let hits: u64 = (0..4000).map(|_| th.draw(&mut rng, ALL).count()).sum();
            let se = (p * (1.0 - p) / n as f64).sqrt();
            let f = hits as f64 / n as f64;
            assert!((f - p).abs() < 5.0 * se, "p = {p}: frequency {f}");
        }
    }

    #[test]
    fn counter_counts_each_lane() {
        let mut c = Counter::<Words>::new(10);
        let mut c100 = Counter::<Words>::new(99);
        let mut expected = [0usize; BLOCK_TRIALS as usize];
        let mut rng = rng(5, 5);
        for _ in 0..10 {
            let m = rng.next();
            for (lane, e) in expected.iter_mut().enumerate() {
                *e += ((m.0[lane / 64] >> (lane % 64)) & 1) as usize;
            }
            c.add(m);
            c100.add(m);
        }
        let valid = Words(first_lanes(200));
        let mut counts = vec![0u64; 11];
        c.tally(valid, &mut counts);
        let mut want = vec![0u64; 11];
        for e in &expected[..200] {
            want[*e] += 1;
        }
        assert_eq!(counts, want);
        // The lane-by-lane path for long histograms agrees.
        let mut long = vec![0u64; 100];
        c100.tally(valid, &mut long);
        assert_eq!(&long[..11], &want[..]);
        assert!(long[11..].iter().all(|&v| v == 0));
    }

    #[test]
    fn the_first_lanes() {
        assert_eq!(first_lanes(0), [0; WORDS]);
        assert_eq!(first_lanes(BLOCK_TRIALS), [u64::MAX; WORDS]);
        assert_eq!(Words(first_lanes(65)).count(), 65);
        assert_eq!(first_lanes(65)[..3], [u64::MAX, 1, 0]);
    }

    /// The AVX2 lanes give the same block, bit for bit, as the portable words (where the CPU has
    /// AVX2; elsewhere only the portable path exists).
    #[test]
    fn avx2_and_portable_lanes_agree() {
        #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("popcnt") {
            use super::super::super::{Decoys, Doctrine, KillAssessment};
            let upper = Tier {
                doctrine: Doctrine::ShootLookShoot {
                    first_shots: 2,
                    second_shots: 1,
                    kill_assessment: KillAssessment {
                        false_kill: 0.1,
                        false_alive: 0.3,
                    },
                },
                ..Tier::salvo(0.7, 0.9, 0.9, 1)
            };
            let inputs = AnalyticInputs {
                system_reliability: 0.9,
                decoys: Some(Decoys {
                    per_warhead: 1,
                    discrimination: 0.5,
                }),
                lower: Some(Tier::salvo(0.8, 0.9, 0.95, 1)),
                ..AnalyticInputs::single_tier(9, upper)
            };
            let plan = LanePlan::new(&inputs);
            for (first, n) in [(0, 512), (512, 512), (1024, 77)] {
                let (mut a, mut b) = (Tally::new(9), Tally::new(9));
                plan.block_in::<Words>(3, first, n, &mut a);
                // SAFETY: the CPU has AVX2 and POPCNT (checked above).
                unsafe { plan.block_avx2(3, first, n, &mut b) };
                assert_eq!(a.counts, b.counts);
                assert_eq!((a.upper, a.lower), (b.upper, b.lower));
                assert_eq!(a.counts.iter().sum::<u64>(), n);
            }
        }
    }
}
