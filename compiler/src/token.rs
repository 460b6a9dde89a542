//! Tokens of Erlang 25, as erl_scan produces them.

use crate::source::Span;
use num_bigint::BigInt;
use std::fmt;
use std::sync::Arc;

/// An atom or variable name.
pub type Name = Arc<str>;

/// An integer literal: small ones inline, the rest as bignums.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntLit {
    Small(i64),
    Big(Arc<BigInt>),
}

impl IntLit {
    pub fn from_big(b: BigInt) -> IntLit {
        match i64::try_from(&b) {
            Ok(i) => IntLit::Small(i),
            Err(_) => IntLit::Big(Arc::new(b)),
        }
    }

    pub fn to_big(&self) -> BigInt {
        match self {
            IntLit::Small(i) => BigInt::from(*i),
            IntLit::Big(b) => (**b).clone(),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            IntLit::Small(i) => Some(*i),
            IntLit::Big(_) => None,
        }
    }
}

impl fmt::Display for IntLit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntLit::Small(i) => write!(f, "{i}"),
            IntLit::Big(b) => write!(f, "{b}"),
        }
    }
}

macro_rules! token_kinds {
    ( $( $variant:ident => $text:literal ),* $(,)? ) => {
        /// The kind of a token. Keywords and punctuation carry no data.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Tok {
            Atom(Name),
            Var(Name),
            Char(char),
            Integer(IntLit),
            Float(f64),
            String(Arc<str>),
            /// Any other character up to U+00FF that erl_scan turns into a
            /// one-character token (`@`, `\`, `^`, `` ` ``, `~`, `&`, ...).
            Other(char),
            /// The full stop that ends a form: `.` followed by white space,
            /// `%` or the end of input.
            Dot,
            /// A scanning error; the diagnostic is in the lexer's output at
            /// this index. Kept in the stream so that errors stay in order.
            Error(u32),
            $( $variant, )*
        }

        impl Tok {
            /// The source text of a keyword or punctuation token.
            pub fn fixed_text(&self) -> Option<&'static str> {
                match self {
                    $( Tok::$variant => Some($text), )*
                    Tok::Dot => Some("."),
                    _ => None,
                }
            }
        }
    };
}

token_kinds! {
    // Reserved words.
    After => "after", And => "and", Andalso => "andalso", Band => "band",
    Begin => "begin", Bnot => "bnot", Bor => "bor", Bsl => "bsl", Bsr => "bsr",
    Bxor => "bxor", Case => "case", Catch => "catch", Cond => "cond",
    Div => "div", End => "end", Fun => "fun", If => "if", Let => "let",
    Not => "not", Of => "of", Or => "or", Orelse => "orelse",
    Receive => "receive", Rem => "rem", Try => "try", When => "when",
    Xor => "xor",
    // Reserved only when the `maybe_expr` feature is enabled.
    Maybe => "maybe", Else => "else",
    // Helper terminals that parse_form makes of `-spec` and `-callback`.
    Spec => "spec", Callback => "callback",
    // Punctuation.
    LParen => "(", RParen => ")", LBracket => "[", RBracket => "]",
    LBrace => "{", RBrace => "}", Comma => ",", Semi => ";", Bar => "|",
    BarBar => "||", Arrow => "->", FatArrow => "=>", ColonEq => ":=",
    ColonColon => "::", Colon => ":", Hash => "#", Bang => "!", Eq => "=",
    EqEq => "==", SlashEq => "/=", EqLt => "=<", Lt => "<", GtEq => ">=",
    Gt => ">", EqColonEq => "=:=", EqSlashEq => "=/=", Plus => "+",
    Minus => "-", Star => "*", Slash => "/", PlusPlus => "++",
    MinusMinus => "--", LtLt => "<<", GtGt => ">>", LtEq => "<=",
    LArrow => "<-", Question => "?", QuestionEq => "?=", DotDot => "..",
    DotDotDot => "...", Period => ".",
}

impl Tok {
    /// The keyword token for a reserved word (the fixed set, without the
    /// feature-dependent `maybe` and `else`).
    pub fn keyword(s: &str) -> Option<Tok> {
        Some(match s {
            "after" => Tok::After,
            "and" => Tok::And,
            "andalso" => Tok::Andalso,
            "band" => Tok::Band,
            "begin" => Tok::Begin,
            "bnot" => Tok::Bnot,
            "bor" => Tok::Bor,
            "bsl" => Tok::Bsl,
            "bsr" => Tok::Bsr,
            "bxor" => Tok::Bxor,
            "case" => Tok::Case,
            "catch" => Tok::Catch,
            "cond" => Tok::Cond,
            "div" => Tok::Div,
            "end" => Tok::End,
            "fun" => Tok::Fun,
            "if" => Tok::If,
            "let" => Tok::Let,
            "not" => Tok::Not,
            "of" => Tok::Of,
            "or" => Tok::Or,
            "orelse" => Tok::Orelse,
            "receive" => Tok::Receive,
            "rem" => Tok::Rem,
            "try" => Tok::Try,
            "when" => Tok::When,
            "xor" => Tok::Xor,
            _ => return None,
        })
    }

    /// A short human description, used in "syntax error before: ..." messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Atom(a) => crate::pretty::quote_atom(a),
            Tok::Var(v) => v.to_string(),
            Tok::Char(c) => crate::pretty::char_literal(*c),
            Tok::Integer(i) => i.to_string(),
            Tok::Float(f) => crate::pretty::float_literal(*f),
            Tok::String(s) => crate::pretty::string_literal(s),
            Tok::Other(c) => format!("'{c}'"),
            Tok::Dot => "'.'".to_string(),
            Tok::Error(_) => "error".to_string(),
            t => format!("'{}'", t.fixed_text().unwrap_or("?")),
        }
    }

    pub fn is_reserved_word(&self) -> bool {
        matches!(
            self,
            Tok::After
                | Tok::And
                | Tok::Andalso
                | Tok::Band
                | Tok::Begin
                | Tok::Bnot
                | Tok::Bor
                | Tok::Bsl
                | Tok::Bsr
                | Tok::Bxor
                | Tok::Case
                | Tok::Catch
                | Tok::Cond
                | Tok::Div
                | Tok::End
                | Tok::Fun
                | Tok::If
                | Tok::Let
                | Tok::Not
                | Tok::Of
                | Tok::Or
                | Tok::Orelse
                | Tok::Receive
                | Tok::Rem
                | Tok::Try
                | Tok::When
                | Tok::Xor
                | Tok::Maybe
                | Tok::Else
        )
    }
}

/// A token and where it came from. Tokens produced by macro expansion carry
/// the span of the macro call, as epp gives them the call's location.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Token {
    pub fn new(tok: Tok, span: Span) -> Token {
        Token { tok, span }
    }
}
