"""Bad input to the GPT, its tokenizer, its training and its optimiser: each refused up front with a
message that names what was wrong, where, and what was expected (issue 21's audit)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_tiny as at
from autograd_tiny.nn import GPT, SGD, Adam, CharTokenizer, check_gpt_backprop, train_gpt

TOKENIZER = CharTokenizer(["abcdefghijklmnopqrstuvwxyz"])


@pytest.fixture(scope="module")
def state():
    return GPT(5, n_embd=4, n_head=1, block_size=4, seed=0).state_dict()


def test_from_state_dict_takes_rows_of_numpy_arrays_and_numpy_floats(state):
    expected = GPT.from_state_dict(state, n_head=1).state_dict()
    for rows in (
        {key: list(array) for key, array in state.items()},  # 1-D arrays
        {key: [list(row) for row in array] for key, array in state.items()},
    ):  # rows of np.float64
        got = GPT.from_state_dict(rows, n_head=1).state_dict()
        assert all(np.array_equal(got[key], expected[key]) for key in expected)


def test_from_state_dict_names_the_key_of_a_bad_matrix(state):
    ragged = [list(row) for row in state["wte"]]
    ragged[3] = ragged[3][:2]
    with pytest.raises(ValueError, match=r"state\['wte'\] is ragged: .*row 3 has 2.*the same length"):
        GPT.from_state_dict(dict(state, wte=ragged), n_head=1)
    with pytest.raises(TypeError, match=r"state's keys must be strings .*got 7"):
        GPT.from_state_dict({**state, 7: state["wte"]}, n_head=1)
    with pytest.raises(ValueError, match=r"state\['wpe'\] has shape \(0, 4\): block_size 0, a GPT needs at least 1"):
        GPT.from_state_dict(dict(state, wpe=np.zeros((0, 4))), n_head=1)
    with pytest.raises(ValueError, match=r"state\['wte'\] has shape \(1, 4\): vocab_size 1, a GPT needs at least 2"):
        GPT.from_state_dict(dict(state, wte=state["wte"][:1], lm_head=state["lm_head"][:1]), n_head=1)
    with pytest.raises(ValueError, match="vocab_size must be an integer ≥ 2"):  # the same minimum as GPT()
        GPT(1)
    with pytest.raises(TypeError, match=r"state\['wte'\] holds complex numbers \(dtype complex128\)"):
        GPT.from_state_dict(dict(state, wte=state["wte"] + 1j), n_head=1)
    with pytest.raises(TypeError, match=r"state\['lm_head'\] holds complex numbers"):
        GPT.from_state_dict(dict(state, lm_head=[[complex(x) for x in row] for row in state["lm_head"]]), n_head=1)


def test_a_matrix_that_mixes_values_and_numbers_is_refused(state):
    mixed = [[at.Value(x) for x in row] for row in state["wte"]]
    mixed[2][1] = 0.5
    with pytest.raises(ValueError, match=r"state\['wte'\] mixes Values and numbers: give all Values \(to share"):
        GPT.from_state_dict(dict(state, wte=mixed), n_head=1)
    shared = [[at.Value(x) for x in row] for row in state["wte"]]  # all Values: they are the parameters
    model = GPT.from_state_dict(dict(state, wte=shared), n_head=1)
    model.loss([4, 0, 1, 4]).backward()
    assert model.wte[0][0] is shared[0][0] and shared[0][0].grad != 0.0


@pytest.mark.parametrize(
    "tokens, error, message",
    [
        ([4, 1.5, 4], TypeError, r"tokens\[1\] is 1.5 \(float\): expected integer token ids"),
        ([4, True, 4], TypeError, r"tokens\[1\] is True \(bool\): expected integer token ids"),
        ([4, 1.0, 4], TypeError, r"tokens\[1\] is 1.0 \(float\)"),
        (None, TypeError, r"tokens must be a list of integer token ids .*got NoneType: None"),
        (5, TypeError, r"tokens must be a list of integer token ids .*got int: 5"),
        ("ab", TypeError, r"tokens must be a list of integer token ids .*got str"),
        ([4, 9, 4], ValueError, r"token id 9 \(tokens\[1\]\) is outside the vocabulary; expected 0 to 4"),
    ],
)
def test_token_ids_must_be_integers_in_a_list(tokens, error, message):
    model = GPT(5, n_embd=4, n_head=1, block_size=4, seed=0)
    with pytest.raises(error, match=message):
        model.loss(tokens)
    assert model.loss(np.array([4, 1, 4])).data == model.loss([4, 1, 4]).data  # NumPy integers are ids


def test_train_gpt_needs_a_list_of_token_lists():
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    with pytest.raises(TypeError, match=r"documents must be a list of token lists, got one token list \[26, 1, 26\]"):
        train_gpt(model, [26, 1, 26], steps=1, progress=False)
    with pytest.raises(TypeError, match=r"documents\[1\]: tokens must be a list of integer token ids .*got NoneType"):
        train_gpt(model, [[26, 1, 26], None], steps=1, progress=False)


def test_the_char_tokenizer_refuses_what_is_not_text_or_token_ids():
    with pytest.raises(TypeError, match=r"CharTokenizer needs the documents, an iterable of strings .*got NoneType"):
        CharTokenizer(None)
    with pytest.raises(TypeError, match="encode needs one document as a str, got int: 5"):
        TOKENIZER.encode(5)
    with pytest.raises(ValueError, match=r"integer ids from 0 to 26 \(BOS = 26\), got tokens\[0\] = True"):
        TOKENIZER.decode([True])
    with pytest.raises(ValueError, match=r"got tokens\[1\] = 2.0"):
        TOKENIZER.decode([1, 2.0])
    with pytest.raises(TypeError, match="decode needs a list of token ids, got int: 3"):
        TOKENIZER.decode(3)
    assert TOKENIZER.decode(np.array([1, 26, 2])) == "bc"


def test_a_range_of_ids_reads_the_same_in_the_engine_and_the_gpt():
    with pytest.raises(IndexError, match=r"^select: index 7 is out of range; expected 0 to 4$"):
        at.select([0.0] * 5, 7)
    with pytest.raises(ValueError, match=r"^token id 7 \(tokens\[1\]\) is outside the vocabulary; expected 0 to 4$"):
        GPT(5, n_embd=4, n_head=1, seed=0).loss([4, 7, 4])


def test_the_char_tokenizer_refuses_one_string_for_the_documents():
    with pytest.raises(
        TypeError,
        match=r"^CharTokenizer needs the documents, an iterable of strings, got one str 'abc': pass "
        r"text.splitlines\(\) for one document a line, or \[text\] for one document$",
    ):
        CharTokenizer("abc")  # was taken as three one-character documents
    assert CharTokenizer(["abc"]).chars == CharTokenizer("abc\nb".splitlines()).chars == ["a", "b", "c"]


def test_the_char_tokenizers_repr_adds_up():
    assert repr(CharTokenizer(["abc", "cab"])) == "CharTokenizer(vocab_size 4: 3 characters + BOS, id 3)"
    assert repr(CharTokenizer(["z"])) == "CharTokenizer(vocab_size 2: 1 character + BOS, id 1)"


def test_sample_needs_a_tokenizer_with_decode():
    model = GPT(5, n_embd=4, n_head=1, block_size=4, seed=0)
    with pytest.raises(TypeError, match=r"tokenizer must have a decode\(tokens\) method \(a CharTokenizer\), got str"):
        model.sample(1, tokenizer="abc")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"betas": (0.9,)}, r"betas must be a pair \(β₁, β₂\) of numbers in \[0, 1\), got \(0.9,\)"),
        ({"betas": 0.9}, r"betas must be a pair .*got 0.9"),
        ({"betas": (0.9, 1.0)}, r"betas must be a pair .*got \(0.9, 1.0\)"),
        ({"betas": ("a", 0.9)}, r"betas must be a pair .*got \('a', 0.9\)"),
        ({"eps": 0.0}, r"eps must be a positive number, got 0.0"),
        ({"eps": "a"}, r"eps must be a positive number, got 'a'"),
        ({"lr": True}, r"learning rate lr must be a positive number, got True"),
        ({"lr": "0.1"}, r"learning rate lr must be a positive number, got '0.1'"),
        ({"lr": float("nan")}, r"learning rate lr must be a positive number, got nan"),
    ],
)
def test_train_gpt_and_adam_check_their_options_before_any_step(options, message):
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        train_gpt(model, [TOKENIZER.encode("ava")], steps=2, progress=False, **options)
    assert all(np.array_equal(array, before[key]) for key, array in model.state_dict().items())  # untouched
    with pytest.raises(ValueError, match=message):
        Adam(model.parameters(), **options)


def test_train_gpt_checks_on_step_before_any_step():
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(TypeError, match=r"on_step must be a function on_step\(step, loss\) or None, got int"):
        train_gpt(model, [TOKENIZER.encode("ava")], steps=2, progress=False, on_step=3)
    assert [p.data for p in model.parameters()] == before


def test_sgd_checks_lr_and_momentum_as_adam_does():
    p = at.Value(1.0)
    with pytest.raises(ValueError, match="learning rate lr must be a positive number, got True"):
        SGD([p], lr=True)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\), got 'a'"):
        SGD([p], lr=0.1, momentum="a")
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\), got 1.0"):
        SGD([p], lr=0.1, momentum=1.0)


def test_check_gpt_backprop_needs_positive_tolerances():
    model = GPT(27, n_embd=4, n_head=1, seed=0)
    tokens = TOKENIZER.encode("ava")
    with pytest.raises(ValueError, match="rtol must be a positive number, got 'a'"):
        check_gpt_backprop(model, tokens, rtol="a")
    with pytest.raises(ValueError, match="rtol must be a positive number, got -1"):
        check_gpt_backprop(model, tokens, rtol=-1)
    with pytest.raises(ValueError, match="atol must be a number ≥ 0, got -1e-14"):
        check_gpt_backprop(model, tokens, atol=-1e-14)
    assert check_gpt_backprop(model, tokens, atol=0.0)
