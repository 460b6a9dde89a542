//! The bytecode: one table of instructions from which the enum, its
//! operand walker, the binary encoder and decoder and the disassembler are
//! all derived. The VM executes the same enum after its loader has patched
//! the operands that name module-level tables (literals, imports, funs).
//!
//! The machine is a register machine in BEAM's style: argument and scratch
//! registers `x`, stack slots `y` in the current frame, explicit frames
//! (`Allocate`/`Deallocate`), and tail calls (`CallLast`, `CallOnly`) that do
//! not grow the stack.

use std::fmt;

/// The term tags that instructions embed directly (immediates in [`Src`]).
/// The VM's term representation uses exactly these (see `vm::term`).
pub mod tag {
    pub const PRIMARY_MASK: u64 = 0b11;
    pub const PRIMARY_HEADER: u64 = 0b00;
    pub const PRIMARY_LIST: u64 = 0b01;
    pub const PRIMARY_BOXED: u64 = 0b10;
    pub const PRIMARY_IMMED1: u64 = 0b11;
    pub const IMMED1_MASK: u64 = 0b1111;
    pub const IMMED1_PID: u64 = 0b0011;
    pub const IMMED1_PORT: u64 = 0b0111;
    pub const IMMED1_IMMED2: u64 = 0b1011;
    pub const IMMED1_SMALL: u64 = 0b1111;
    pub const IMMED2_MASK: u64 = 0b11_1111;
    pub const IMMED2_ATOM: u64 = 0b00_1011;
    pub const IMMED2_CATCH: u64 = 0b01_1011;
    pub const IMMED2_SPECIAL: u64 = 0b10_1011;
    pub const IMMED2_NIL: u64 = 0b11_1011;
    pub const NIL: u64 = IMMED2_NIL;
    /// Small integers carry 60 bits.
    pub const SMALL_BITS: u32 = 60;
    pub const MAX_SMALL: i64 = (1 << (SMALL_BITS - 1)) - 1;
    pub const MIN_SMALL: i64 = -(1 << (SMALL_BITS - 1));

    #[inline]
    pub const fn small(i: i64) -> u64 {
        ((i as u64) << 4) | IMMED1_SMALL
    }
}

/// A source operand: an `x` or `y` register, an immediate term, or (before
/// loading) an index into the module's literal table. Registers and literal
/// indices carry the header tag `00`, which no term value ever has, so a
/// loaded `Src` is either a register or the term itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Src(pub u64);

impl Src {
    const KIND_MASK: u64 = 0b1111;
    const KIND_X: u64 = 0b0000;
    const KIND_Y: u64 = 0b0100;
    const KIND_LIT: u64 = 0b1000;

    #[inline]
    pub const fn x(n: u32) -> Src {
        Src(((n as u64) << 4) | Self::KIND_X)
    }
    #[inline]
    pub const fn y(n: u32) -> Src {
        Src(((n as u64) << 4) | Self::KIND_Y)
    }
    /// A literal of the module's literal table (replaced by the loader).
    pub const fn literal(index: u32) -> Src {
        Src(((index as u64) << 4) | Self::KIND_LIT)
    }
    #[inline]
    pub const fn small(i: i64) -> Src {
        Src(tag::small(i))
    }
    pub const fn nil() -> Src {
        Src(tag::NIL)
    }
    /// An immediate term, as the VM encodes it.
    #[inline]
    pub const fn term(raw: u64) -> Src {
        Src(raw)
    }
    #[inline]
    pub fn is_register(self) -> bool {
        self.0 & tag::PRIMARY_MASK == 0 && self.0 & Self::KIND_MASK != Self::KIND_LIT
    }
    #[inline]
    pub fn as_x(self) -> Option<u32> {
        (self.0 & Self::KIND_MASK == Self::KIND_X).then_some((self.0 >> 4) as u32)
    }
    #[inline]
    pub fn as_y(self) -> Option<u32> {
        (self.0 & Self::KIND_MASK == Self::KIND_Y).then_some((self.0 >> 4) as u32)
    }
    #[inline]
    pub fn as_literal(self) -> Option<u32> {
        (self.0 & Self::KIND_MASK == Self::KIND_LIT).then_some((self.0 >> 4) as u32)
    }
    #[inline]
    pub fn as_small(self) -> Option<i64> {
        (self.0 & tag::IMMED1_MASK == tag::IMMED1_SMALL).then_some((self.0 as i64) >> 4)
    }
}

impl fmt::Debug for Src {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(x) = self.as_x() {
            write!(f, "x{x}")
        } else if let Some(y) = self.as_y() {
            write!(f, "y{y}")
        } else if let Some(l) = self.as_literal() {
            write!(f, "lit{l}")
        } else if let Some(i) = self.as_small() {
            write!(f, "{i}")
        } else if self.0 == tag::NIL {
            write!(f, "[]")
        } else {
            write!(f, "term({:#x})", self.0)
        }
    }
}

/// A destination register: `x` or `y`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dst(pub u32);

impl Dst {
    const Y_FLAG: u32 = 1 << 31;
    #[inline]
    pub const fn x(n: u32) -> Dst {
        Dst(n)
    }
    #[inline]
    pub const fn y(n: u32) -> Dst {
        Dst(n | Self::Y_FLAG)
    }
    #[inline]
    pub fn is_y(self) -> bool {
        self.0 & Self::Y_FLAG != 0
    }
    #[inline]
    pub fn index(self) -> u32 {
        self.0 & !Self::Y_FLAG
    }
    #[inline]
    pub fn as_src(self) -> Src {
        if self.is_y() {
            Src::y(self.index())
        } else {
            Src::x(self.index())
        }
    }
}

impl fmt::Debug for Dst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_y() {
            write!(f, "y{}", self.index())
        } else {
            write!(f, "x{}", self.index())
        }
    }
}

/// A jump target: before assembly a label number, after it the offset in
/// instructions relative to the instruction that holds it.
pub type Label = i32;

/// A module-level reference the loader replaces by a pointer: an import
/// (remote function), a BIF, a fun entry or a side table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Ref(pub u64);

/// A mutable view of one operand, for passes that rewrite operands
/// (label resolution in the assembler, patching in the loader).
pub enum Operand<'a> {
    Label(&'a mut Label),
    Src(&'a mut Src),
    Dst(&'a mut Dst),
    U32(&'a mut u32),
    /// A `Ref` with the kind of table it indexes.
    Ref(RefKind, &'a mut Ref),
}

/// What a [`Ref`] operand indexes before loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Import,
    Bif,
    Lambda,
    Table,
}

/// State the VM keeps with an instruction at run time (a function's JIT
/// state, in its `FuncInfo`): not part of the encoding, not an operand. A
/// decoded or cloned instruction starts with a fresh slot.
#[derive(Default)]
pub struct RuntimeSlot(pub std::sync::atomic::AtomicUsize);

impl Clone for RuntimeSlot {
    fn clone(&self) -> RuntimeSlot {
        RuntimeSlot::default()
    }
}

impl PartialEq for RuntimeSlot {
    /// Run-time state never makes two instructions differ.
    fn eq(&self, _: &RuntimeSlot) -> bool {
        true
    }
}

impl fmt::Debug for RuntimeSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "_")
    }
}

macro_rules! operand_view {
    ($f:ident, Slot, $x:expr) => {{
        let _ = $x;
    }};
    ($f:ident, Label, $x:expr) => {
        $f(Operand::Label($x))
    };
    ($f:ident, Src, $x:expr) => {
        $f(Operand::Src($x))
    };
    ($f:ident, Dst, $x:expr) => {
        $f(Operand::Dst($x))
    };
    ($f:ident, U32, $x:expr) => {
        $f(Operand::U32($x))
    };
    ($f:ident, Import, $x:expr) => {
        $f(Operand::Ref(RefKind::Import, $x))
    };
    ($f:ident, Bif, $x:expr) => {
        $f(Operand::Ref(RefKind::Bif, $x))
    };
    ($f:ident, Lambda, $x:expr) => {
        $f(Operand::Ref(RefKind::Lambda, $x))
    };
    ($f:ident, Table, $x:expr) => {
        $f(Operand::Ref(RefKind::Table, $x))
    };
}

macro_rules! kind_type {
    (Slot) => {
        RuntimeSlot
    };
    (Label) => {
        Label
    };
    (Src) => {
        Src
    };
    (Dst) => {
        Dst
    };
    (U32) => {
        u32
    };
    (Import) => {
        Ref
    };
    (Bif) => {
        Ref
    };
    (Lambda) => {
        Ref
    };
    (Table) => {
        Ref
    };
}

macro_rules! kind_encode {
    (Slot, $v:expr, $out:expr) => {{
        let _ = ($v, &$out);
    }};
    (Label, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.to_le_bytes())
    };
    (Src, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
    (Dst, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
    (U32, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.to_le_bytes())
    };
    (Import, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
    (Bif, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
    (Lambda, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
    (Table, $v:expr, $out:expr) => {
        $out.extend_from_slice(&$v.0.to_le_bytes())
    };
}

macro_rules! kind_decode {
    (Slot, $r:expr) => {
        RuntimeSlot::default()
    };
    (Label, $r:expr) => {
        $r.i32()?
    };
    (Src, $r:expr) => {
        Src($r.u64()?)
    };
    (Dst, $r:expr) => {
        Dst($r.u32()?)
    };
    (U32, $r:expr) => {
        $r.u32()?
    };
    (Import, $r:expr) => {
        Ref($r.u64()?)
    };
    (Bif, $r:expr) => {
        Ref($r.u64()?)
    };
    (Lambda, $r:expr) => {
        Ref($r.u64()?)
    };
    (Table, $r:expr) => {
        Ref($r.u64()?)
    };
}

macro_rules! operand_part {
    (Slot, $name:expr, $v:expr, $parts:expr) => {{
        let _ = $v;
    }};
    ($kind:ident, $name:expr, $v:expr, $parts:expr) => {
        $parts.push(format!("{}={:?}", $name, $v))
    };
}

macro_rules! instructions {
    ( $( $(#[doc = $doc:literal])* $name:ident { $( $field:ident : $kind:ident ),* } = $code:literal ),* $(,)? ) => {
        /// One instruction. See each variant for its meaning.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Instr {
            $( $(#[doc = $doc])* $name { $( $field: kind_type!($kind) ),* }, )*
        }

        impl Instr {
            /// The instruction's name, as the disassembler prints it.
            pub fn name(&self) -> &'static str {
                match self { $( Instr::$name { .. } => stringify!($name), )* }
            }

            /// Visit every operand mutably.
            #[allow(unused_variables, unused_mut)]
            pub fn operands_mut(&mut self, mut f: impl FnMut(Operand<'_>)) {
                match self {
                    $( Instr::$name { $( $field ),* } => { $( operand_view!(f, $kind, $field); )* } )*
                }
            }

            /// Append the binary encoding (opcode byte, operands little-endian).
            #[allow(unused_variables)]
            pub fn encode(&self, out: &mut Vec<u8>) {
                match self {
                    $( Instr::$name { $( $field ),* } => {
                        out.push($code);
                        $( kind_encode!($kind, $field, out); )*
                    } )*
                }
            }

            /// Decode one instruction.
            pub fn decode(r: &mut Reader<'_>) -> Result<Instr, DecodeError> {
                let op = r.u8()?;
                Ok(match op {
                    $( $code => Instr::$name { $( $field: kind_decode!($kind, r) ),* }, )*
                    other => return Err(DecodeError(format!("unknown opcode {other}"))),
                })
            }

            /// Operands as `name=value` text, for the disassembler.
            #[allow(unused_mut, unused_variables)]
            pub fn operand_text(&self) -> String {
                let mut parts: Vec<String> = Vec::new();
                match self {
                    $( Instr::$name { $( $field ),* } => {
                        $( operand_part!($kind, stringify!($field), $field, parts); )*
                    } )*
                }
                parts.join(" ")
            }
        }
    };
}

instructions! {
    /// Marks a function's start; jumping here raises `function_clause`
    /// with the arguments in x0..x(arity-1).
    /// `jit` is the VM's JIT state of the function (see `vm::jit`).
    FuncInfo { module: Src, function: Src, arity: U32, jit: Slot } = 1,
    /// Call a local function (label) with `arity` arguments; the return
    /// address goes to the continuation register.
    Call { arity: U32, target: Label } = 2,
    /// Tail call: drop `dealloc` stack slots (restoring the continuation) and jump.
    CallLast { arity: U32, target: Label, dealloc: U32 } = 3,
    /// Tail call without a frame to drop.
    CallOnly { arity: U32, target: Label } = 4,
    /// Call a remote function through the module's import table.
    CallExt { arity: U32, import: Import } = 5,
    CallExtLast { arity: U32, import: Import, dealloc: U32 } = 6,
    CallExtOnly { arity: U32, import: Import } = 7,
    /// Call the fun in x(arity) with x0..x(arity-1).
    CallFun { arity: U32 } = 8,
    /// Tail call of a fun, dropping the frame of `dealloc` slots first.
    CallFunLast { arity: U32, dealloc: U32 } = 9,
    /// Tail call of a fun from a function without a frame.
    CallFunOnly { arity: U32 } = 133,
    /// Tail call of apply/3 from a function without a frame.
    ApplyOnly { arity: U32 } = 134,
    /// erlang:apply/3 with the module in x(arity) and function in x(arity+1).
    Apply { arity: U32 } = 10,
    ApplyLast { arity: U32, dealloc: U32 } = 11,
    Return {} = 12,
    /// Deallocate then Return, in one dispatch.
    DeallocReturn { slots: U32 } = 135,
    /// Move `src` to x0 and return (a function without a frame).
    MoveReturn { src: Src } = 136,
    /// Move `src` to x0, drop the frame of `slots` and return.
    MoveDeallocReturn { src: Src, slots: U32 } = 137,
    /// Push a frame of `slots` y registers (initialised to []) and the
    /// continuation.
    Allocate { slots: U32 } = 13,
    Deallocate { slots: U32 } = 14,
    /// A safe point: collect garbage if the heap needs it; `live` x
    /// registers hold terms. (Every call is a safe point too, with its
    /// arguments live.)
    TestHeap { need: U32, live: U32 } = 15,
    Move { src: Src, dst: Dst } = 16,
    /// Destructure a non-empty list (already tested).
    GetList { src: Src, head: Dst, tail: Dst } = 17,
    GetHd { src: Src, dst: Dst } = 18,
    GetTl { src: Src, dst: Dst } = 19,
    /// Element `index` (0-based) of a tuple (already tested).
    GetTupleElement { src: Src, index: U32, dst: Dst } = 20,
    PutList { head: Src, tail: Src, dst: Dst } = 21,
    /// Build a tuple of the sources in side table `elems`.
    PutTuple { elems: Table, dst: Dst } = 22,
    /// Build a fun capturing the values of side table `env`.
    MakeFun { lambda: Lambda, env: Table, dst: Dst } = 23,
    // Type tests: jump to `fail` unless the test holds.
    IsInteger { fail: Label, arg: Src } = 30,
    IsFloat { fail: Label, arg: Src } = 31,
    IsNumber { fail: Label, arg: Src } = 32,
    IsAtom { fail: Label, arg: Src } = 33,
    IsPid { fail: Label, arg: Src } = 34,
    IsReference { fail: Label, arg: Src } = 35,
    IsPort { fail: Label, arg: Src } = 36,
    IsNil { fail: Label, arg: Src } = 37,
    IsBinary { fail: Label, arg: Src } = 38,
    IsBitstring { fail: Label, arg: Src } = 39,
    IsList { fail: Label, arg: Src } = 40,
    IsNonemptyList { fail: Label, arg: Src } = 41,
    IsTuple { fail: Label, arg: Src } = 42,
    IsFunction { fail: Label, arg: Src } = 43,
    IsFunction2 { fail: Label, arg: Src, arity: Src } = 44,
    IsBoolean { fail: Label, arg: Src } = 45,
    IsMap { fail: Label, arg: Src } = 46,
    /// A tuple of exactly `arity` elements.
    TestArity { fail: Label, arg: Src, arity: U32 } = 47,
    /// A tuple of `arity` elements whose first is the atom `tag`.
    IsTaggedTuple { fail: Label, arg: Src, arity: U32, tag: Src } = 48,
    IsEqExact { fail: Label, a: Src, b: Src } = 50,
    IsNeExact { fail: Label, a: Src, b: Src } = 51,
    IsEq { fail: Label, a: Src, b: Src } = 52,
    IsNe { fail: Label, a: Src, b: Src } = 53,
    IsLt { fail: Label, a: Src, b: Src } = 54,
    IsGe { fail: Label, a: Src, b: Src } = 55,
    /// Jump through side table `table` (value → label) or to `fail`.
    SelectVal { arg: Src, fail: Label, table: Table } = 56,
    /// Jump by tuple arity through side table `table`, or to `fail`.
    SelectTupleArity { arg: Src, fail: Label, table: Table } = 57,
    Jump { target: Label } = 58,
    /// Call a BIF that cannot fail on its own terms (e.g. self/0).
    Bif0 { bif: Bif, dst: Dst } = 60,
    /// Call a BIF; on error jump to `fail`, or raise when `fail` is 0.
    Bif1 { bif: Bif, fail: Label, a: Src, dst: Dst } = 61,
    Bif2 { bif: Bif, fail: Label, a: Src, b: Src, dst: Dst } = 62,
    /// A BIF that may allocate; `live` x registers are live.
    GcBif1 { bif: Bif, fail: Label, live: U32, a: Src, dst: Dst } = 63,
    GcBif2 { bif: Bif, fail: Label, live: U32, a: Src, b: Src, dst: Dst } = 64,
    GcBif3 { bif: Bif, fail: Label, live: U32, a: Src, b: Src, c: Src, dst: Dst } = 65,
    /// `erlang:'+'/2`, `'-'/2`, `'*'/2`: the hottest BIFs get their own
    /// instructions so small-integer arithmetic runs inline. On error jump
    /// to `fail`, or raise `badarith` when `fail` is 0, with the operator
    /// on top of the stack trace when `trace` is 1.
    Add { fail: Label, a: Src, b: Src, dst: Dst, trace: U32 } = 66,
    Sub { fail: Label, a: Src, b: Src, dst: Dst, trace: U32 } = 67,
    Mul { fail: Label, a: Src, b: Src, dst: Dst, trace: U32 } = 68,
    // Errors with OTP's reasons.
    Badmatch { arg: Src } = 70,
    CaseEnd { arg: Src } = 71,
    IfEnd {} = 72,
    TryCaseEnd { arg: Src } = 73,
    Badrecord { arg: Src } = 74,
    /// Raise with class and reason in x0/x1 and the raw stack trace in x2
    /// (rethrow from a handler).
    Raise {} = 75,
    // Exceptions: `y` holds the catch marker while the handler is active.
    Try { y: U32, handler: Label } = 80,
    TryEnd { y: U32 } = 81,
    /// At a try handler: x0 = class, x1 = reason, x2 = stack trace.
    TryCase { y: U32 } = 82,
    Catch { y: U32, handler: Label } = 83,
    /// At a catch handler (or after the body): turn an exception into the
    /// value of `catch`.
    CatchEnd { y: U32 } = 84,
    /// Build the stack trace term from the raw one in `src`.
    BuildStacktrace { src: Src, dst: Dst } = 85,
    // Maps.
    /// New map from `src` with the pairs (key, value) of side table `pairs`.
    PutMapAssoc { src: Src, dst: Dst, live: U32, pairs: Table } = 90,
    /// Update existing keys only; jump to `fail` (or raise badkey when 0).
    PutMapExact { fail: Label, src: Src, dst: Dst, live: U32, pairs: Table } = 91,
    /// Look up the keys of side table `pairs` (key, destination); jump to
    /// `fail` if one is missing.
    GetMapElements { fail: Label, src: Src, pairs: Table } = 92,
    HasMapFields { fail: Label, src: Src, keys: Table } = 93,
    // Binaries.
    /// Build a binary from the segments in side table `segs`.
    BsCreateBin { fail: Label, live: U32, segs: Table, dst: Dst } = 100,
    /// Start matching a binary: jump to `fail` if `src` is not a bitstring.
    BsStartMatch { fail: Label, live: U32, src: Src, dst: Dst } = 101,
    /// Match one segment (side table `seg` describes it) from context `ctx`.
    BsGet { fail: Label, ctx: Src, seg: Table, dst: Dst } = 102,
    /// Skip one segment.
    BsSkip { fail: Label, ctx: Src, seg: Table } = 103,
    /// The rest of the context as a sub-binary (or test it is empty).
    BsGetTail { ctx: Src, dst: Dst } = 104,
    BsTestTail { fail: Label, ctx: Src, bits: U32 } = 105,
    /// Require the remaining bits to be a multiple of `unit`.
    BsTestUnit { fail: Label, ctx: Src, unit: U32 } = 106,
    /// Match a literal segment of `bits` bits equal to the value in `lit`.
    BsMatchString { fail: Label, ctx: Src, bits: U32, lit: Src } = 107,
    /// Save / restore the context's position (slot `slot`).
    BsSave { ctx: Src, slot: U32 } = 108,
    BsRestore { ctx: Src, slot: U32 } = 109,
    /// The rest of the match as a new match context starting here, for a
    /// self tail call at a parameter the function only matches binary
    /// patterns against; `BsStartMatch` of a context restarts it where it
    /// began instead of making another.
    BsTailCtx { ctx: Src, dst: Dst } = 110,
    // Messages and processes.
    /// `dest ! msg`; the result (the message) in `dst`.
    Send { dest: Src, msg: Src, dst: Dst } = 120,
    /// Peek the current message into `dst`, or jump to `fail` if none.
    LoopRec { fail: Label, dst: Dst } = 121,
    /// Advance to the next message and jump to `target`.
    LoopRecEnd { target: Label } = 122,
    RemoveMessage {} = 123,
    /// Wait for a message, then go to `target`.
    Wait { target: Label } = 124,
    /// Wait at most `timeout` milliseconds, then fall through.
    WaitTimeout { target: Label, timeout: Src } = 125,
    /// The timeout fired: reset the message queue position.
    Timeout {} = 126,
    /// Before a receive whose every clause requires the value of
    /// `reference`: if it is a reference this process made recently, start
    /// the scan where the mailbox ended when it was made (older messages
    /// cannot contain it). Otherwise nothing.
    RecvMarkerUse { reference: Src } = 129,
    /// Count a reduction and yield here if the slice is used up (loops
    /// without calls, such as receive loops).
    Yield { live: U32 } = 131,
    /// The continuation of a process's first call: the process is done.
    /// Never emitted by the compiler; the VM places it.
    Exit {} = 132,
    // Superinstructions: never emitted by the compiler. The loader writes
    // one over the first instruction of a sequence it fuses and leaves the
    // rest in place (so indices, labels and line numbers do not move, and
    // a jump into the middle still finds the original instructions); the
    // fused instruction runs the sequence and continues after it.
    /// `Move a→b; Move c→d`.
    Move2 { a: Src, b: Dst, c: Src, d: Dst } = 200,
    /// `IsNonemptyList fail src; GetList src head tail`.
    IsNonemptyGetList { fail: Label, src: Src, head: Dst, tail: Dst } = 201,
    /// `Move src→dst; Call arity target` (`target` relative to the Call).
    MoveCall { src: Src, dst: Dst, arity: U32, target: Label } = 202,
    /// `Move src→dst; CallLast arity target dealloc`.
    MoveCallLast { src: Src, dst: Dst, arity: U32, target: Label, dealloc: U32 } = 203,
    /// `Move src→dst; CallOnly arity target`.
    MoveCallOnly { src: Src, dst: Dst, arity: U32, target: Label } = 204,
    /// `Allocate slots; Move src→dst`.
    AllocateMove { slots: U32, src: Src, dst: Dst } = 205,
    /// `PutList head tail→dst; DeallocReturn slots`.
    PutListDeallocReturn { head: Src, tail: Src, dst: Dst, slots: U32 } = 206,
    /// `IsLt fail a b; MoveReturn ret` (or `Return`, with `ret` = x0).
    IsLtRet { fail: Label, a: Src, b: Src, ret: Src } = 207,
    /// `IsGe fail a b; MoveReturn ret`.
    IsGeRet { fail: Label, a: Src, b: Src, ret: Src } = 208,
    /// `IsEqExact fail a b; MoveReturn ret`.
    IsEqExactRet { fail: Label, a: Src, b: Src, ret: Src } = 209,
    /// `IsNeExact fail a b; MoveReturn ret`.
    IsNeExactRet { fail: Label, a: Src, b: Src, ret: Src } = 210,
    /// `Move src→dst; Sub fail a b sdst trace`.
    MoveSub { src: Src, dst: Dst, fail: Label, a: Src, b: Src, sdst: Dst, trace: U32 } = 211,
    /// `Bif2`/`GcBif2` of an integer operator (`band`, `bor`, `bxor`,
    /// `bsl`, `bsr`, `div`, `rem`; `op` numbers them as the VM's `IntOp`):
    /// two small integers are computed inline, anything else calls `bif`.
    /// Written over the BIF instruction itself; it covers nothing else.
    IntBif2 { op: U32, bif: Bif, fail: Label, a: Src, b: Src, dst: Dst } = 212,
    /// A run of `BsGet`/`BsSkip`/`BsTestUnit` on one context that share
    /// their failure label, as one dispatch: side table `steps` lists them
    /// (the VM's `MatchStep`s), `covers` counts them, and execution goes on
    /// after the last. Written over the first; the rest stay in place.
    BsMatchRun { fail: Label, ctx: Src, steps: Table, covers: U32 } = 213,
    /// `Bif1`/`GcBif1` of `byte_size`, `bit_size` or `tuple_size` (`op`
    /// numbers them as the VM's `SizeOp`): a binary's or tuple's size is
    /// read inline, anything else calls `bif`. Written over the BIF
    /// instruction itself.
    SizeBif1 { op: U32, bif: Bif, fail: Label, a: Src, dst: Dst } = 214,
}

/// Little-endian reader for [`Instr::decode`].
pub struct Reader<'a> {
    buf: &'a [u8],
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad bytecode: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf }
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.buf.len() < n {
            return Err(DecodeError("truncated".into()));
        }
        let (a, b) = self.buf.split_at(n);
        self.buf = b;
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    /// The next `n` bytes as they are.
    pub fn take_bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        self.take(n)
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }
}

/// A literal term of a module (constants in the code), owned data until
/// the loader builds it in the VM's literal area.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Integer(crate::token::IntLit),
    Float(f64),
    Atom(String),
    Nil,
    Cons(Box<Literal>, Box<Literal>),
    Tuple(Vec<Literal>),
    Binary(Vec<u8>),
    /// A bitstring whose size is not a whole number of bytes.
    Bitstring(Vec<u8>, u64),
    Map(Vec<(Literal, Literal)>),
}

impl Literal {
    pub fn atom(s: &str) -> Literal {
        Literal::Atom(s.to_string())
    }
    pub fn int(i: i64) -> Literal {
        Literal::Integer(crate::token::IntLit::Small(i))
    }
    /// A proper list of the given elements.
    pub fn list(items: Vec<Literal>) -> Literal {
        items
            .into_iter()
            .rev()
            .fold(Literal::Nil, |t, h| Literal::Cons(Box::new(h), Box::new(t)))
    }
    pub fn string(s: &str) -> Literal {
        Literal::list(s.chars().map(|c| Literal::int(c as i64)).collect())
    }
}

/// Variable-length operand data, referenced by `Table` operands.
#[derive(Clone, Debug, PartialEq)]
pub enum Table {
    /// Elements of a tuple.
    Srcs(Vec<Src>),
    /// `SelectVal`/`SelectTupleArity`: value (or arity) and target label.
    Jumps(Vec<(Src, Label)>),
    /// Map construction: key and value.
    Pairs(Vec<(Src, Src)>),
    /// Map lookup: key and destination.
    Gets(Vec<(Src, Dst)>),
    /// Binary construction: the segments.
    Segments(Vec<BinSegment>),
    /// Binary matching: one segment's type, size and flags.
    Match(BinMatchSpec),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinType {
    Integer,
    Float,
    Binary,
    Utf8,
    Utf16,
    Utf32,
}

/// Flags of a bit-syntax segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BinFlags {
    pub signed: bool,
    pub little: bool,
    pub native: bool,
}

/// One segment of a binary construction.
#[derive(Clone, Debug, PartialEq)]
pub struct BinSegment {
    pub ty: BinType,
    pub value: Src,
    /// `None` means "all" (binaries) or the type's default.
    pub size: Option<Src>,
    pub unit: u32,
    pub flags: BinFlags,
}

/// How to match one segment.
#[derive(Clone, Debug, PartialEq)]
pub struct BinMatchSpec {
    pub ty: BinType,
    /// `None` means the rest (binaries) or the type's default.
    pub size: Option<Src>,
    pub unit: u32,
    pub flags: BinFlags,
}

/// Where a function's code is.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionInfo {
    pub name: String,
    pub arity: u32,
    /// Index of its `FuncInfo` instruction.
    pub info: u32,
    /// Index of its first instruction after `FuncInfo` (the entry).
    pub entry: u32,
}

/// A fun defined in the module: the function that implements it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lambda {
    /// Index into `functions` of the lifted function (arity = arity + free).
    pub function: u32,
    pub arity: u32,
    pub free: u32,
    /// The `OldIndex` and `OldUniq` of erlang:fun_info/1.
    pub index: u32,
    pub uniq: u32,
}

/// A compiled module, as the compiler produces it and the VM loads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    pub name: String,
    /// The source file name, for stack traces.
    pub file: String,
    pub code: Vec<Instr>,
    pub literals: Vec<Literal>,
    /// Remote functions called: (module, function, arity).
    pub imports: Vec<(String, String, u32)>,
    /// Exported functions: (name, arity).
    pub exports: Vec<(String, u32)>,
    pub functions: Vec<FunctionInfo>,
    pub lambdas: Vec<Lambda>,
    pub tables: Vec<Table>,
    /// (first instruction index, source line), sorted by index.
    pub lines: Vec<(u32, u32)>,
    /// Module attributes as a literal proplist (module_info(attributes)).
    pub attributes: Vec<(String, Literal)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        let code = vec![
            Instr::FuncInfo {
                module: Src::literal(0),
                function: Src::literal(1),
                arity: 2,
                jit: RuntimeSlot::default(),
            },
            Instr::Move {
                src: Src::small(-5),
                dst: Dst::y(3),
            },
            Instr::IsLt {
                fail: -4,
                a: Src::x(0),
                b: Src::nil(),
            },
            Instr::CallExtLast {
                arity: 2,
                import: Ref(7),
                dealloc: 1,
            },
            Instr::Return {},
        ];
        let mut bytes = Vec::new();
        for i in &code {
            i.encode(&mut bytes);
        }
        let mut r = Reader::new(&bytes);
        let mut back = Vec::new();
        while !r.is_empty() {
            back.push(Instr::decode(&mut r).unwrap());
        }
        assert_eq!(back, code);
        assert_eq!(Src::small(-5).as_small(), Some(-5));
        assert_eq!(Src::y(3).as_y(), Some(3));
        assert!(Src::x(0).is_register() && !Src::literal(2).is_register() && !Src::nil().is_register());
    }
}

#[cfg(test)]
mod size_tests {
    /// The interpreter walks instructions in memory: growing them costs
    /// cache (a runtime slot in `FuncInfo` must fit in the same size).
    #[test]
    fn an_instruction_is_48_bytes() {
        assert_eq!(std::mem::size_of::<super::Instr>(), 48);
    }
}
