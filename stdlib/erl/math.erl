%% The math module: every function is native (vm/src/bif/math.rs); this
%% module gives it OTP's export list and module_info/0,1. The bodies are
%% never run: a native registered for M:F/A takes precedence over code.
-module(math).
-export([pi/0, pow/2, atan2/2, fmod/2,
         cos/1, cosh/1, sin/1, sinh/1, tan/1, tanh/1, acos/1, acosh/1, asin/1, asinh/1,
         atan/1, atanh/1, erf/1, erfc/1, exp/1, log/1, log2/1, log10/1, sqrt/1, floor/1, ceil/1]).

pi() -> math:pi().
pow(X, Y) -> math:pow(X, Y).
atan2(Y, X) -> math:atan2(Y, X).
fmod(X, Y) -> math:fmod(X, Y).
cos(X) -> math:cos(X).
cosh(X) -> math:cosh(X).
sin(X) -> math:sin(X).
sinh(X) -> math:sinh(X).
tan(X) -> math:tan(X).
tanh(X) -> math:tanh(X).
acos(X) -> math:acos(X).
acosh(X) -> math:acosh(X).
asin(X) -> math:asin(X).
asinh(X) -> math:asinh(X).
atan(X) -> math:atan(X).
atanh(X) -> math:atanh(X).
erf(X) -> math:erf(X).
erfc(X) -> math:erfc(X).
exp(X) -> math:exp(X).
log(X) -> math:log(X).
log2(X) -> math:log2(X).
log10(X) -> math:log10(X).
sqrt(X) -> math:sqrt(X).
floor(X) -> math:floor(X).
ceil(X) -> math:ceil(X).
