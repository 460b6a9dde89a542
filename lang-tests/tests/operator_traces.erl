-module(operator_traces).
-export([main/1]).
%% Which failing arithmetic puts {erlang, Op, Args, _} on top of the stack
%% trace: OTP records the operator except for increments by a small literal
%% and float arithmetic (and `/`, which is always float arithmetic).
t(N, F) ->
    try F() catch _:R:St ->
        io:format("~s ~p ~p~n", [N, R, case hd(St) of {erlang, Op, As, _} -> {Op, As}; _ -> none end])
    end.
id(X) -> X.
main(_) ->
    t("lit", fun() -> 1 + a end),
    t("floatvar", fun() -> X = float(id(1)), X + id(a) end),
    t("float known", fun() -> X = id(1.0), Y = X * 2.0, Y + id(a) end),
    t("math float", fun() -> X = math:sqrt(id(4)), X - id(a) end),
    t("bigincr", fun() -> id(a) + 100000000000000000000 end),
    t("neg lit", fun() -> id(a) + -5 end),
    t("sub big", fun() -> id(a) - 576460752303423488 end),
    t("add small max", fun() -> id(a) + 576460752303423487 end),
    t("div zero", fun() -> id(1) div id(0) end),
    t("fdiv zero", fun() -> id(1) / id(0) end),
    t("+ VL", fun() -> f1(id(x), id(2)) end),
    t("+ LV", fun() -> f2(id(x), id(2)) end),
    t("+ VV", fun() -> f3(id(x), id(2)) end),
    t("+ VF", fun() -> f4(id(x), id(2)) end),
    t("- VL", fun() -> f5(id(x), id(2)) end),
    t("- LV", fun() -> f6(id(x), id(2)) end),
    t("- VV", fun() -> f7(id(x), id(2)) end),
    t("- VF", fun() -> f8(id(x), id(2)) end),
    t("* VL", fun() -> f9(id(x), id(2)) end),
    t("* LV", fun() -> f10(id(x), id(2)) end),
    t("* VV", fun() -> f11(id(x), id(2)) end),
    t("* VF", fun() -> f12(id(x), id(2)) end),
    t("/ VL", fun() -> f13(id(x), id(2)) end),
    t("/ LV", fun() -> f14(id(x), id(2)) end),
    t("/ VV", fun() -> f15(id(x), id(2)) end),
    t("/ VF", fun() -> f16(id(x), id(2)) end),
    t("div VL", fun() -> f17(id(x), id(2)) end),
    t("div LV", fun() -> f18(id(x), id(2)) end),
    t("div VV", fun() -> f19(id(x), id(2)) end),
    t("div VF", fun() -> f20(id(x), id(2)) end),
    t("rem VL", fun() -> f21(id(x), id(2)) end),
    t("rem LV", fun() -> f22(id(x), id(2)) end),
    t("rem VV", fun() -> f23(id(x), id(2)) end),
    t("rem VF", fun() -> f24(id(x), id(2)) end),
    t("band VL", fun() -> f25(id(x), id(2)) end),
    t("band LV", fun() -> f26(id(x), id(2)) end),
    t("band VV", fun() -> f27(id(x), id(2)) end),
    t("band VF", fun() -> f28(id(x), id(2)) end),
    t("bor VL", fun() -> f29(id(x), id(2)) end),
    t("bor LV", fun() -> f30(id(x), id(2)) end),
    t("bor VV", fun() -> f31(id(x), id(2)) end),
    t("bor VF", fun() -> f32(id(x), id(2)) end),
    t("bxor VL", fun() -> f33(id(x), id(2)) end),
    t("bxor LV", fun() -> f34(id(x), id(2)) end),
    t("bxor VV", fun() -> f35(id(x), id(2)) end),
    t("bxor VF", fun() -> f36(id(x), id(2)) end),
    t("bsl VL", fun() -> f37(id(x), id(2)) end),
    t("bsl LV", fun() -> f38(id(x), id(2)) end),
    t("bsl VV", fun() -> f39(id(x), id(2)) end),
    t("bsl VF", fun() -> f40(id(x), id(2)) end),
    t("bsr VL", fun() -> f41(id(x), id(2)) end),
    t("bsr LV", fun() -> f42(id(x), id(2)) end),
    t("bsr VV", fun() -> f43(id(x), id(2)) end),
    t("bsr VF", fun() -> f44(id(x), id(2)) end),
    t("neg", fun() -> u1(id(x)) end),
    t("bnot", fun() -> u2(id(x)) end),
    t("plus", fun() -> u3(id(x)) end).
f1(A, B) -> _ = B, A + 3.
f2(A, B) -> _ = B, 3 + A.
f3(A, B) -> _ = B, A + B.
f4(A, B) -> _ = B, A + 2.0.
f5(A, B) -> _ = B, A - 3.
f6(A, B) -> _ = B, 3 - A.
f7(A, B) -> _ = B, A - B.
f8(A, B) -> _ = B, A - 2.0.
f9(A, B) -> _ = B, A * 3.
f10(A, B) -> _ = B, 3 * A.
f11(A, B) -> _ = B, A * B.
f12(A, B) -> _ = B, A * 2.0.
f13(A, B) -> _ = B, A / 3.
f14(A, B) -> _ = B, 3 / A.
f15(A, B) -> _ = B, A / B.
f16(A, B) -> _ = B, A / 2.0.
f17(A, B) -> _ = B, A div 3.
f18(A, B) -> _ = B, 3 div A.
f19(A, B) -> _ = B, A div B.
f20(A, B) -> _ = B, A div 2.0.
f21(A, B) -> _ = B, A rem 3.
f22(A, B) -> _ = B, 3 rem A.
f23(A, B) -> _ = B, A rem B.
f24(A, B) -> _ = B, A rem 2.0.
f25(A, B) -> _ = B, A band 3.
f26(A, B) -> _ = B, 3 band A.
f27(A, B) -> _ = B, A band B.
f28(A, B) -> _ = B, A band 2.0.
f29(A, B) -> _ = B, A bor 3.
f30(A, B) -> _ = B, 3 bor A.
f31(A, B) -> _ = B, A bor B.
f32(A, B) -> _ = B, A bor 2.0.
f33(A, B) -> _ = B, A bxor 3.
f34(A, B) -> _ = B, 3 bxor A.
f35(A, B) -> _ = B, A bxor B.
f36(A, B) -> _ = B, A bxor 2.0.
f37(A, B) -> _ = B, A bsl 3.
f38(A, B) -> _ = B, 3 bsl A.
f39(A, B) -> _ = B, A bsl B.
f40(A, B) -> _ = B, A bsl 2.0.
f41(A, B) -> _ = B, A bsr 3.
f42(A, B) -> _ = B, 3 bsr A.
f43(A, B) -> _ = B, A bsr B.
f44(A, B) -> _ = B, A bsr 2.0.
u1(A) -> -A.
u2(A) -> bnot A.
u3(A) -> +A.
