"""Loading the curriculum: the fixture course, malformed files, and fuzzed input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.commands.lessons import list_lessons
from tutor.curriculum.lesson_toml import parse_lesson_toml
from tutor.curriculum.loader import all_problems, lesson_ids, load_all, load_course
from tutor.curriculum.markdown_lesson import parse_markdown
from tutor.curriculum.model import Course, LoadProblem
from tutor.options import Options

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture course."""
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURES, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


def messages(course: Course) -> str:
    return "\n".join(str(p) for p in course.problems)


# --------------------------------------------------------------------------- the fixture


def test_fixture_course_loads_in_both_languages_without_problems() -> None:
    courses = load_all(FIXTURES)
    assert all_problems(courses.values()) == []
    for lang, course in courses.items():
        assert course.lang == lang
        [lesson] = course.lessons
        assert (lesson.id, lesson.number, lesson.lang) == ("fixture", 1, lang)
        assert [e.id for e in lesson.exercises] == ["column-sums", "square-norm", "square-gradient"]
        assert [e.spec.kind for e in lesson.exercises] == ["value", "function", "gradient"]
        assert [(q.id, q.kind) for q in lesson.questions] == [
            ("p-empty", "choice"),
            ("broadcast-shape", "predict"),
            ("sum-of-range", "number"),
        ]
        assert "tf.reshape" in lesson.setup
    assert courses["en"].lessons[0].title == "Fixture"
    assert courses["zh"].lessons[0].title == "测试课"


def test_fixture_steps_examples_and_blocks() -> None:
    lesson = load_course("en", FIXTURES).lessons[0]
    titles = [s.title for s in lesson.steps]
    assert titles == [
        "Fixture",
        "Tensors and sums",
        "A function",
        "A gradient",
        "Probability of nothing",
        "A prediction",
        "A number",
    ]
    intro, sums = lesson.steps[0], lesson.steps[1]
    assert "xᵢ" in intro.text and "Aᵀ" in intro.text and "\\$5" in intro.text
    first, failing = sums.examples
    assert first.code == "x = tf.range(4)\nx"
    assert first.output is not None and first.output.startswith("<tf.Tensor: shape=(4,)")
    assert first.line == line_of(FIXTURES / "01-fixture" / "en.md", "```python")
    assert (failing.raises, failing.output) == ("TypeError", None)
    # the display formula is a drawn block; the example fences stay in the text
    assert "```text\n    ⎡0 1 2 3⎤\nA = ⎢4 5 6 7⎥" in sums.text
    assert "```python\nx = tf.range(4)" in sums.text
    assert "::: exercise" not in sums.text and "Bind `s`" not in sums.text

    exercise = sums.exercise
    assert exercise is not None and exercise.id == "column-sums"
    # a short inline formula is held together by no-break spaces (never wrapped apart)
    assert (
        exercise.prompt
        == "Bind `s` to the sum of each column of `A`: sⱼ\u00a0=\u00a0∑ᵢ₌₁⁵\u00a0aᵢⱼ."
    )
    assert exercise.hints == (
        "`tf.reduce_sum` takes an `axis`.",
        "The axis that disappears is the one you sum over: i, axis 0.",
    )
    assert set(exercise.feedback) == {"summed-squares", "wrong-axis"}
    assert exercise.feedback["summed-squares"] == "You summed aᵢⱼ²; sum the entries themselves."
    spec = exercise.spec
    assert spec.names == ("s",) and spec.dtype == "float32" and spec.fresh is not None
    assert [w.diagnosis for w in spec.wrong] == [
        "wrong-axis",
        "keepdims",
        "constant",
        "summed-squares",
    ]
    assert [m.id for m in spec.mistakes] == ["summed-squares"]
    assert lesson.steps[2].exercise is not None
    assert lesson.steps[2].exercise.spec.forbid == ("norm",)
    assert lesson.steps[2].exercise.spec.inputs is not None

    choice = lesson.steps[4].question
    assert choice is not None
    assert choice.prompt == "What is P(∅)?"
    assert choice.options == ("1", "0", "it is undefined")
    assert choice.answer == 1
    assert choice.explanation.endswith("so P(∅)\u00a0=\u00a00.")
    number = lesson.steps[6].question
    assert (
        number is not None and number.options == () and number.answer == 6 and number.tolerance == 0
    )
    assert number.hints == ("0 + 1 + 2 + 3.".replace(" ", "\u00a0"),)
    prediction = lesson.steps[5].question
    assert prediction is not None and prediction.kind == "predict"
    assert (prediction.ask, prediction.expected) == ("shape", "(3, 4)")
    assert prediction.code == "tf.ones((3, 1)) + tf.ones((1, 4))"
    assert prediction.options == () and prediction.hints == ("Align the shapes from the right.",)
    assert prediction.explanation == "The length-1 axes are stretched."


def test_the_english_and_chinese_lessons_share_one_spec() -> None:
    courses = load_all(FIXTURES)
    en, zh = (courses[x].lessons[0] for x in ("en", "zh"))
    assert [e.spec for e in en.exercises] == [e.spec for e in zh.exercises]
    assert [len(s.examples) for s in en.steps] == [len(s.examples) for s in zh.steps]


def test_lesson_ids_and_the_list_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert lesson_ids(FIXTURES) == ["fixture"]
    assert list_lessons(Options(lang="zh"), as_json=True, root=FIXTURES) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing == [
        {
            "id": "fixture",
            "title": "测试课",
            "exercises": [
                {"id": "column-sums", "kind": "value"},
                {"id": "square-norm", "kind": "function"},
                {"id": "square-gradient", "kind": "gradient"},
            ],
            "questions": [
                {"id": "p-empty", "kind": "choice"},
                {"id": "broadcast-shape", "kind": "predict"},
                {"id": "sum-of-range", "kind": "number"},
            ],
        }
    ]
    assert list_lessons(Options(lang="en"), as_json=False, root=FIXTURES) == 0
    out = capsys.readouterr()
    assert "01  fixture  Fixture" in out.out and "square-gradient  (gradient)" in out.out
    assert out.err == ""


def test_only_loads_the_named_folders(course_dir: Path) -> None:
    shutil.copytree(course_dir / "01-fixture", course_dir / "02-other")
    edit(course_dir / "02-other" / "lesson.toml", 'id = "fixture"', 'id = "other"')
    assert [x.id for x in load_course("en", course_dir).lessons] == ["fixture", "other"]
    only = load_course("en", course_dir, only=[course_dir / "02-other"])
    assert [x.id for x in only.lessons] == ["other"]


# --------------------------------------------------------------------------- Markdown and maths


def test_dollars_in_code_and_escaped_dollars_are_not_maths() -> None:
    text = (
        "---\ntitle: T\n---\n\n## S\n\n"
        "Price \\$5 and $5 or $6, code `a$b$c` and ``x $y$ z``, maths $a_1$ and $$b^2$$.\n\n"
        "```python\ns = '$x$'\n```\n"
    )
    parsed = parse_markdown(text, "t.md")
    assert parsed.problems == [] and parsed.formula_problems == []
    assert parsed.lesson is not None
    step = parsed.lesson.steps[0]
    assert "Price \\$5 and $5 or $6, code `a$b$c` and ``x $y$ z``, maths a₁ and b²." in step.text
    assert "s = '$x$'" in step.text and step.examples[0].code == "s = '$x$'"


def test_rendered_maths_is_escaped_for_markdown() -> None:
    text = "---\ntitle: T\n---\n\n## S\n\n$\\|\\mathbf{X}\\|_F$ and $a^*$ and $x|y$\n"
    parsed = parse_markdown(text, "t.md")
    assert parsed.lesson is not None
    assert parsed.lesson.steps[0].text == "‖X‖\\_F and a\\* and x\\|y"


def test_a_formula_that_cannot_be_drawn_is_reported_but_the_lesson_loads(course_dir: Path) -> None:
    en = course_dir / "01-fixture" / "en.md"
    edit(en, "The squared norm is", "Broken: $\\nosuch{x}$. The squared norm is")
    course = load_course("en", course_dir)
    assert [x.id for x in course.lessons] == ["fixture"]
    [problem] = course.problems
    assert problem == LoadProblem(str(en), line_of(en, "Broken:"), problem.message)
    assert "unknown command \\nosuch" in problem.message
    assert "`\\nosuch{x}`" in course.lessons[0].steps[2].text


def test_a_broken_display_formula_names_its_line(course_dir: Path) -> None:
    en = course_dir / "01-fixture" / "en.md"
    edit(en, "$$\\nabla_{\\mathbf{x}}", "$$\\nabla_{\\mathbf{x}")
    course = load_course("en", course_dir)
    [problem] = course.problems
    assert problem.line == line_of(en, "$$\\nabla_{") and "never closed" in problem.message


# --------------------------------------------------------------------------- malformed lessons

MD_BREAKAGES = [
    ("---\ntitle: Fixture\n---\n", "", "missing front matter", 1),
    ("title: Fixture", "tilte: Fixture", "unknown front matter line", 2),
    (
        "::: hint\nMultiply elementwise",
        "::: hnit\nMultiply elementwise",
        "::: hnit is not allowed",
        None,
    ),
    (
        "::: feedback wrong-axis",
        "::: feedback no-such-mistake",
        "no such mistake or diagnosis",
        None,
    ),
    (
        "::: feedback summed-squares\n",
        "::: explanation\n",
        "explanation is not allowed in a exercise",
        None,
    ),
    ("## A function\n", "", "a step holds at most one exercise or question", None),
    (
        "::: exercise square-norm",
        "::: exercise square-nrom",
        "exercise 'square-nrom' is not in lesson.toml",
        None,
    ),
    ("- it is undefined\n", "", "", None),  # two options stay: still valid
    ("- 0\n- it is undefined\n", "", "needs at least two '- ' options", None),
    (
        "then `t.gradient(y, x)`.\n:::",
        "then `t.gradient(y, x)`.",
        "a step heading inside ::: exercise square-gradient",
        None,
    ),
    (
        "```output\n<tf.Tensor",
        "Some words.\n\n```output\n<tf.Tensor",
        "an output block must come right after",
        None,
    ),
    (
        "```python raises=TypeError",
        "```python raise=TypeError",
        "unknown code block attribute 'raise=TypeError'",
        None,
    ),
    (
        "```python raises=TypeError",
        "```python raises=Type-Error",
        "raises= needs an exception name",
        None,
    ),
    (
        "What is $\\sum_{i=0}^{3} i$?\n",
        "What is $\\sum_{i=0}^{3} i$?\n\n- 5\n- 6\n",
        "has options",
        None,
    ),
    ("It is $\\frac{3 \\cdot 4}{2} = 6$.\n:::\n", "It is 6.\n", "is never closed by :::", None),
    (
        "A scalar has no length:\n\n```python raises=TypeError\nlen(tf.constant(3.0))\n```\n",
        "```python\nopen\n",
        "code block is never closed",
        None,
    ),
    ("::: question sum-of-range", ":::", "::: closes nothing", None),
]


@pytest.mark.parametrize(("old", "new", "message", "line"), MD_BREAKAGES)
def test_a_broken_markdown_file_leaves_its_lesson_out(
    course_dir: Path, old: str, new: str, message: str, line: int | None
) -> None:
    en = course_dir / "01-fixture" / "en.md"
    edit(en, old, new)
    course = load_course("en", course_dir)
    if not message:
        assert course.problems == () and len(course.lessons) == 1
        return
    assert course.lessons == (), messages(course)
    matching = [p for p in course.problems if message in p.message]
    assert matching, messages(course)
    assert all(p.path == str(en) for p in matching)
    if line is not None:
        assert matching[0].line == line
    # the other language does not depend on this file
    assert load_course("zh", course_dir).lessons


TOML_BREAKAGES = [
    ('kind = "value"', 'kind = "scalar"', "exercise kind 'scalar'", 'kind = "scalar"'),
    (
        'solution = """\ns = tf.reduce_sum(A, axis=0)\n"""\n',
        "",
        "missing required key 'solution'",
        "[[exercise]]",
    ),
    ('dtype = "float32"', 'dtype = "float32"\nsoluton = "x"', "unknown key 'soluton'", "soluton"),
    ('names = ["s"]', 'names = "s"', "'names' must be a list", 'names = "s"'),
    (
        'names = ["sq_norm"]',
        'names = ["sq_norm", "f"]',
        "exactly one function",
        'names = ["sq_norm", "f"]',
    ),
    ('inputs = "[(tf.random.normal((4,)),) for _ in range(3)]"\n', "", "needs 'inputs'", None),
    ("answer = 1", "answer = 3", "answer 3 is not an option index", None),
    ("answer = 1", 'answer = "b"', "'answer' must be a int", 'answer = "b"'),
    ("tolerance = 0", "tolerance = -1", "must not be negative", "tolerance = -1"),
    ('diagnosis = "factor"', 'diagnosis = "fctor"', "diagnosis 'fctor' is neither", None),
    (
        '[[exercise.wrong]]\ncode = """\nc = tf.constant',
        '[[exercise.wrongs]]\ncode = """\nc = tf.constant',
        "unknown key 'wrongs'",
        None,
    ),
    ('id = "p-empty"', 'id = "column-sums"', "is used 2 times", None),
    (
        'id = "sum-of-range"',
        'id = "sum of range"',
        "question id 'sum of range'",
        'id = "sum of range"',
    ),
    ("rtol = 1e-4", "rtol = 1e-4 +", "not valid TOML", "rtol = 1e-4 +"),
    ('id = "fixture"', 'id = "fixtures"', "differs from the folder's 'fixture'", None),
    (
        '[[exercise.mistake]]\nid = "summed-squares"',
        '[[exercise.mistake]]\nid = "dtype"',
        "hides the built-in",
        None,
    ),
    ('ask = "shape"', 'ask = "size"', "ask 'size': use one of shape, dtype, value, error", None),
    ('answer = "(3, 4)"', 'answer = "three by four"', "cannot be read as a shape", None),
    ('answer = "(3, 4)"', 'answer = "error"', "name the error the code raises", None),
    ('answer = "(3, 4)"', "answer = 12", "'answer' must be a string", "answer = 12"),
    ('ask = "shape"', 'ask = "shape"\ntolerance = 0.1', "only a prediction of a value", None),
    ("tf.ones((3, 1)) + tf.ones((1, 4))", "tf.ones((3, 1)) + A", "reads A without binding", None),
    ("tf.ones((3, 1)) + tf.ones((1, 4))", "x = tf.ones(3)", "end with the expression", None),
    ("tf.ones((3, 1)) + tf.ones((1, 4))", "tf.ones((3, 1)) +", "the code does not parse", None),
    ('ask = "shape"\ncode', 'ask = "dtype"\ncode', "cannot be read as a dtype", None),
    (
        'ask = "shape"\ncode = """\ntf.ones((3, 1)) + tf.ones((1, 4))',
        'ask = "value"\ncode = """\ntf.random.normal((3, 4))',
        "random numbers",
        None,
    ),
    (
        'kind = "predict"\nask = "shape"\ncode = """',
        'kind = "predict"\ncode = """',
        "missing required key 'ask'",
        None,
    ),
    ("answer = 1", 'answer = 1\nask = "shape"', "'ask' belongs to a predict question", None),
]


@pytest.mark.parametrize(("old", "new", "message", "line_fragment"), TOML_BREAKAGES)
def test_a_broken_lesson_toml_leaves_the_lesson_out(
    course_dir: Path, old: str, new: str, message: str, line_fragment: str | None
) -> None:
    toml = course_dir / "01-fixture" / "lesson.toml"
    edit(toml, old, new)
    courses = load_all(course_dir)
    for course in courses.values():
        assert course.lessons == (), messages(course)
    matching = [p for p in all_problems(courses.values()) if message in p.message]
    assert matching, "\n".join(map(str, all_problems(courses.values())))
    if line_fragment is not None:
        assert matching[0].line == line_of(toml, line_fragment), str(matching[0])


def test_a_missing_language_file_and_a_missing_wrong_answer(course_dir: Path) -> None:
    (course_dir / "01-fixture" / "zh.md").unlink()
    assert load_course("en", course_dir).lessons
    zh = load_course("zh", course_dir)
    assert zh.lessons == ()
    assert "the file is missing" in messages(zh)
    toml = course_dir / "01-fixture" / "lesson.toml"
    edit(toml, '[[exercise.wrong]]\ncode = """\nc = tf.constant', 'notes = """\nc = tf.constant')
    edit(toml, 'diagnosis = "grad-none"\n', "")
    en = load_course("en", course_dir)
    assert "unknown key 'notes'" in messages(en)


def test_an_exercise_without_wrong_answers_or_feedback(course_dir: Path) -> None:
    toml = course_dir / "01-fixture" / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index('[[exercise.wrong]]\ncode = """\nc = tf.constant')
    toml.write_text(text[:start] + text[text.index("[[question]]") :], encoding="utf-8")
    en = course_dir / "01-fixture" / "en.md"
    edit(
        en,
        "::: feedback summed-squares\nYou summed $a_{ij}^2$; sum the entries themselves.\n\n",
        "",
    )
    course = load_course("en", course_dir)
    assert course.lessons == ()
    text = messages(course)
    assert "exercise square-gradient needs at least one [[exercise.wrong]] answer" in text
    assert "mistake 'summed-squares' has no ::: feedback summed-squares" in text


def test_a_translation_that_differs_is_reported_on_the_translation(course_dir: Path) -> None:
    zh = course_dir / "01-fixture" / "zh.md"
    edit(zh, "- 没有定义\n", "- 没有定义\n- 等于二\n")
    edit(toml := course_dir / "01-fixture" / "lesson.toml", "answer = 1", "answer = 1")
    assert toml.exists()
    courses = load_all(course_dir)
    assert courses["en"].problems == ()
    [problem] = courses["zh"].problems
    assert problem.path == str(zh) and problem.line == line_of(zh, "::: question p-empty")
    assert "3 options, 2 in" not in problem.message and "has 4 options, 3 in" in problem.message
    assert courses["zh"].lessons  # a lagging translation is reported, not dropped


def test_translation_with_other_exercise_order(course_dir: Path) -> None:
    zh = course_dir / "01-fixture" / "zh.md"
    text = zh.read_text(encoding="utf-8")
    a = text.index("## 一个函数")
    b = text.index("## 一个梯度")
    c = text.index("## 空集的概率")
    zh.write_text(text[:a] + text[b:c] + text[a:b] + text[c:], encoding="utf-8")
    course = load_course("zh", course_dir)
    assert "exercises and questions differ" in messages(course)


def test_one_bad_lesson_never_stops_the_others(course_dir: Path) -> None:
    shutil.copytree(course_dir / "01-fixture", course_dir / "02-second")
    edit(course_dir / "02-second" / "lesson.toml", 'id = "fixture"', 'id = "second"')
    (course_dir / "03-broken").mkdir()
    (course_dir / "03-broken" / "lesson.toml").write_text("id = [", encoding="utf-8")
    (course_dir / "not-a-lesson").mkdir()
    course = load_course("en", course_dir)
    assert [x.id for x in course.lessons] == ["fixture", "second"]
    text = messages(course)
    assert "03-broken/lesson.toml:1: not valid TOML" in text
    assert "not-a-lesson: a lesson folder is named NN-id" in text
    assert lesson_ids(course_dir) == ["fixture", "second", "broken"]


def test_duplicate_lesson_ids_and_numbers(course_dir: Path) -> None:
    shutil.copytree(course_dir / "01-fixture", course_dir / "01-fixture-b")
    edit(course_dir / "01-fixture-b" / "lesson.toml", 'id = "fixture"', 'id = "fixture-b"')
    course = load_course("en", course_dir)
    assert "number 01 is also 01-fixture" in messages(course)


def test_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        load_course("fr", FIXTURES)


# --------------------------------------------------------------------------- fuzz

_MD_LINES = st.sampled_from(
    [
        "---", "title: T", "title: $x_", "## Step", "## ", "# Top", "::: exercise e", "::: question q",
        "::: exercise", "::: hint", "::: feedback m", "::: explanation", ":::", "::: other",
        "```python", "```python raises=TypeError", "```python raises=", "```output", "```", "~~~",
        "$$", "$$x^2$$", "$$\\frac{1}", "\\begin{bmatrix}1&2\\end{bmatrix}", "- option", "  more",
        "text $x_i$ and `$`", "$", "$a$b$", "\\$", "", "> **Note.** $\\sqrt{2}$", "````",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MD_LINES, max_size=25).map("\n".join) | st.text(max_size=200))
def test_arbitrary_markdown_never_crashes_the_parser(text: str) -> None:
    parsed = parse_markdown(text, "fuzz/en.md")
    for problem in parsed.problems + parsed.formula_problems:
        assert problem.path == "fuzz/en.md"
        assert isinstance(problem.line, int) and 0 <= problem.line <= max(1, len(text.splitlines()))
        assert problem.message
    if parsed.problems:
        assert parsed.lesson is None
    if parsed.lesson is not None:
        for step in parsed.lesson.steps:
            assert isinstance(step.text, str)


_TOML_LINES = st.sampled_from(
    [
        'id = "x"', "[[exercise]]", "[[question]]", "[[exercise.wrong]]", "[[exercise.mistake]]",
        'kind = "value"', 'kind = "choice"', 'kind = "number"', 'names = ["a"]', 'solution = "a = 1"',
        'code = "a = 2"', 'diagnosis = "values"', "answer = 1", "answer = 2.5", "tolerance = -1",
        "rtol = true", 'id = "m"', 'when = "True"', 'inputs = "[]"', "forbid = [1]", "x = ", "[bad",
        'setup = """', '"""', "names = []",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOML_LINES, max_size=20).map("\n".join) | st.text(max_size=200))
def test_arbitrary_toml_never_crashes_the_parser(text: str) -> None:
    spec, problems = parse_lesson_toml(text, "fuzz/lesson.toml")
    assert (spec is None) == bool(problems)
    for problem in problems:
        assert problem.path == "fuzz/lesson.toml"
        assert isinstance(problem.line, int) and problem.line >= 0


def test_grading_keys_right_skill_beside_random() -> None:
    from tutor.curriculum.lesson_toml import parse_lesson_toml

    text = """
id = "t"
[[exercise]]
id = "e"
kind = "gradient"
names = ["g"]
skill = "tape"
solution = "g = 1"
[[exercise.right]]
code = "g = 1.0"
[exercise.beside]
code = "beside = 1"
[exercise.random]
expected = "tf.ones(6) / 6"
stderr = "tf.sqrt(expected * (1 - expected) / 10000)"
[[exercise.wrong]]
code = "g = 2"
diagnosis = "values"
"""
    spec, problems = parse_lesson_toml(text, "lesson.toml")
    assert problems == [] and spec is not None
    exercise = spec.exercises[0]
    assert exercise.skill == "tape"
    assert [r.code for r in exercise.right] == ["g = 1.0"]
    assert exercise.beside == "beside = 1"
    assert exercise.random is not None and exercise.random.expected == "tf.ones(6) / 6"
    wire = exercise.to_wire()
    assert wire["skill"] == "tape" and wire["random"]["stderr"].startswith("tf.sqrt")

    _, problems = parse_lesson_toml(
        text.replace('"tape"', '"tapes"').replace("[exercise.random]", "[exercise.random]\nn = 3"),
        "lesson.toml",
    )
    messages = " | ".join(p.message for p in problems)
    assert "unknown skill 'tapes'" in messages
    assert "unknown key 'n' in [exercise.random]" in messages
