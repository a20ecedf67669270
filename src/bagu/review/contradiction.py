"""Does an answer's clause say the opposite of a note's point? Checked before a point earns credit.

Sentence embeddings and shared words do not see negation, direction or swapped roles:
`AOF 比 RDB 快` and `RDB 比 AOF 快` share every word. Four checks, each following from how such a
wrong claim is written:
- negation: the point and the clause negate different predicates (`不能` before a verb they share);
- direction: the clause uses the opposite of a direction word of the point (增加/减少, before/after
  …), in either language;
- roles: two roles or names in both, in the opposite order around an asymmetric word
  (`客户端向服务端`, `A 比 B`), or the clause gives the point's claim to another name the note uses
  (`RDB` for `AOF`);
- numbers: the point and the clause name different numbers for the same thing, or the same number
  in another unit of its quantity (`200 MB/s` / `200 KB/s`).
Pure: two texts (and the reference's names) in, a `Contradiction` or None out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from bagu.search.tokenize import normalize_text, words
from bagu.vault.language import CJK

# Negators, and words that start with one without negating anything (不同 is "different", 非常
# "very").
_ZH_NEGATORS = (
    "不能",
    "不会",
    "不可",
    "不是",
    "不要",
    "不用",
    "不需要",
    "无法",
    "没有",
    "并非",
    "不",
    "没",
    "无",
    "未",
    "非",
)
_ZH_NOT_NEGATION = frozenset(
    {
        "不同",
        "不仅",
        "不断",
        "不过",
        "不管",
        "不少",
        "不久",
        "不错",
        "不如",
        "不然",
        "不但",
        "不论",
        "无论",
        "非常",
        "无数",
        "未来",
        "无限",
        "不足",
        "不一定",
        "不必",
        "并不",
        "无关",
    }
)
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|cant|don't|dont|doesn't|doesnt|isn't|isnt|aren't|arent|won't|wont|"
    r"didn't|wasn't|shouldn't|without|neither|nor|unable)\b",
    re.IGNORECASE,
)

# Opposites, each side in both languages: the clause says one where the point says the other.
_OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split("|")), frozenset(b.split("|")))
    for a, b in (
        ("加|加上|plus", "减|减去|minus"),  # a count moved by a number: `偏移量加 n`
        (
            "增加|增大|提高|提升|上升|变大|变多|升高|增多|加大|increase|increases|raise|rises|grow|grows|higher",
            "减少|减小|降低|下降|变小|变少|减低|缩小|缩减|decrease|decreases|reduce|reduces|lower|drops|shrink|fewer",
        ),
        (
            "大于|多于|高于|超过|greater than|more than|larger than|above|exceeds",
            "小于|少于|低于|less than|smaller than|below|fewer than",
        ),
        (
            "快|更快|快于|加快|加速|faster|quicker|speeds up|accelerates",
            "慢|更慢|慢于|拖慢|减慢|放慢|slower|slows down",
        ),
        (
            "太高|过高|太大|过大|太多|过多|too high|too large|too big|too many|too much",
            "太低|过低|太小|过小|太少|过少|too low|too small|too few|too little",
        ),
        ("最近|最新|latest|most recent|newest", "最早|最旧|earliest|oldest"),
        ("只有一个|唯一|only one|a single", "多个|multiple|several"),
        ("一齐|一起|together|jointly", "逐个|分别|one at a time|one by one|separately"),
        ("仍然|still", "不再|no longer"),
        ("之前|以前|先于|早于|before|prior to", "之后|以后|晚于|后于|after"),
        ("同步|synchronous|synchronously|sync", "异步|asynchronous|asynchronously|async"),
        ("共享|shared|share", "独占|排他|独立|隔离|exclusive|separate|independent|isolated"),
        ("乐观|optimistic", "悲观|pessimistic"),
        ("串行|serial|serially|sequentially", "并行|parallel|in parallel"),
        ("有序|ordered|sorted", "无序|unordered|unsorted"),
        ("最大|maximum|max|largest|biggest", "最小|minimum|min|smallest"),
        # how one quantity follows another: `n 越大，误伤概率越大`
        ("越大|越多|越高|越长|越强", "越小|越少|越低|越短|越弱"),
        ("存活|活着|live|alive|reachable", "死亡|已死|dead|unreachable"),
        (
            "保留|不变|keep|keeps|preserve|preserves|unchanged",
            "改变|改动|修改|change|changes|modify|modifies",
        ),
        ("层间|inter-layer|between layers", "层内|intra-layer|inside each layer|within a layer"),
        ("开启|启用|打开|enable|enabled|on", "关闭|禁用|disable|disabled|off"),
        ("允许|allow|allows|allowed|permit", "禁止|forbid|forbids|deny|denies|disallow"),
        (
            "强一致|强一致性|strong consistency|strongly consistent",
            "弱一致|弱一致性|最终一致性|eventual consistency",
        ),
        ("推|push", "拉|pull"),
        ("聚集|收集|汇聚|gather|gathers", "分发|分散|scatter|scatters"),
        ("长连接|persistent connection|keep-alive", "短连接|short connection"),
        ("有状态|stateful", "无状态|stateless"),
        (
            "阻塞|一直等|blocking|blocks",
            "非阻塞|立即返回|non-blocking|nonblocking|returns immediately",
        ),
        ("稀疏|sparse", "稠密|密集|dense"),
        (
            "单线程|single-threaded|single thread",
            "多线程|multi-threaded|multithreaded|multiple threads",
        ),
        ("全量|full copy|full sync", "增量|incremental"),
        ("水平|horizontal|horizontally", "垂直|vertical|vertically"),
        ("显式|explicit|explicitly", "隐式|implicit|implicitly"),
        ("静态|static", "动态|dynamic"),
        ("有损|lossy", "无损|lossless"),
        ("对称|symmetric", "非对称|asymmetric"),
        ("可变|mutable", "不可变|immutable"),
        ("顺序读写|顺序写|sequential", "随机读写|随机写|random access|random"),
        ("内存|in memory|in-memory|memory|RAM", "磁盘|硬盘|on disk|disk"),
        ("头部|开头|队头|head|front", "尾部|末尾|结尾|队尾|tail|end"),
    )
)
# Roles a sentence sets against each other: swapping them, or giving one's part to the other, is
# wrong.
_ROLES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split("|")), frozenset(b.split("|")))
    for a, b in (
        ("客户端|client", "服务端|服务器|server"),
        ("leader|领导者|主节点", "follower|跟随者|从节点"),
        ("master|主库|主服务器|primary", "slave|从库|从服务器|replica|secondary"),
        ("生产者|producer", "消费者|consumer"),
        ("发送方|发送端|sender", "接收方|接收端|receiver"),
        ("父进程|parent process", "子进程|child process"),
        ("内核态|kernel mode|kernel space", "用户态|user mode|user space"),
        ("栈|stack", "堆|heap"),
        ("读锁|共享锁|read lock|shared lock", "写锁|排他锁|write lock|exclusive lock"),
        ("只读|read-only|RO", "读写|read-write|RW"),
    )
)
# Words that make the order of two names matter: `A 比 B 快`, `A 向 B 发送`, `A before B`.
_ASYMMETRIC = re.compile(
    r"比|于|向|给|到|发送|调用|请求|连接|传|先|再|然后|→|->|=>|\bthan\b|\bto\b|\bbefore\b|\bafter\b|\bfrom\b|\bthen\b"
)
_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
# 一 before a measure word is most often an article (一种是 whiteout, 一个面向连接的协议): not a
# quantity.
_ZH_NUMBER = re.compile(
    r"([零二两三四五六七八九十])(?=[次个种层步倍位条类项级阶段份字节秒分钟小时天])"
)
# 0.75, 1/4 as one
_NUMBER = re.compile(r"(?<![A-Za-z_\d/])\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?(?![\d/])")


@dataclass(frozen=True, slots=True)
class Contradiction:
    kind: str  # "negation", "direction", "roles", "number"
    detail: str  # what the answer says against the note, to show the user


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    """The text's words, case-folded, English negations spelt out (`can't` → `cannot`, `doesn't` →
    `does not`: the segmenter splits `can` from `t`); cached, since every check of a claim segments
    the same two texts."""
    return tuple(w.casefold() for w in words(_uncontracted(text)))


_CANT = re.compile(r"\b(can|won)['’]t\b", re.IGNORECASE)
_NT = re.compile(r"\b(\w+)n['’]t\b", re.IGNORECASE)


def _uncontracted(text: str) -> str:
    text = _CANT.sub(lambda m: "cannot" if m.group(1).lower() == "can" else "will not", text)
    return _NT.sub(r"\1 not", text)


def _has(text: str, tokens: Sequence[str], word: str) -> bool:
    """Whether `word` is in the text: a Chinese word among its segmented words (快 is not in 快照),
    an English word or phrase on word boundaries."""
    if CJK.search(word):
        return word in tokens or (len(word) >= 3 and word in text)
    return (
        re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text, re.IGNORECASE) is not None
    )


_STOP = frozenset(
    {
        "的",
        "了",
        "是",
        "也",
        "都",
        "就",
        "还",
        "会",
        "在",
        "和",
        "与",
        "被",  # `未被调度` denies 调度: the passive marker is no verb
        "曾",
        "再",
        "the",
        "a",
        "an",
        "it",
        "this",
        "that",
        # a determiner after a negator is not what it denies (`without any executable goroutines`
        # denies executable), and a conjunction before it is not its subject (`but without…`)
        "any",
        "some",
        "but",
        "and",
        "or",
    }
)
# Adverbs that stand before a negator are not its subject: `分裂结果中一定不满足条件的` is about 结
# 果.
_NO_SUBJECT = frozenset(
    {"一定", "可能", "必须", "一般", "通常", "总是", "肯定", "往往", "完全", "根本", "仍然", "依然"}
)
# One-character adverbs a negator is glued to (`不太友好`): they deny nothing themselves.
_ADVERBS = frozenset("太很够大再只光单算都一常了过")
# Modal verbs a negator may be cut from (`不` + `需要`): within a scope, what they govern is what is
# denied.
_MODALS = frozenset({"需要", "需", "要", "能", "能够", "可以", "应该", "应", "用"})
NEGATION_SCOPE = (
    # the word right after a negator is what it denies (tune split: a scope of 3 failed 6 right
    # answers, 1 failed 2)
    1
)


def _is_word(token: str) -> bool:
    """A word a negation can be about: two Chinese characters or more, or three letters or more, no
    digits."""
    return (len(token) >= 2 and all(CJK.match(ch) for ch in token)) or bool(
        re.fullmatch(r"[a-z][a-z-]{2,}", token)
    )


def _scopes(text: str) -> tuple[dict[str, str], set[str]]:
    """(each word inside a negation's scope → the word before its negator, its subject or context;
    the words outside any scope), in both languages."""
    denied: dict[str, str] = {}
    plain: set[str] = set()
    # a table's yes/no cells under their column: `脏读：×`, `幻影读：√`
    for label in _NO_MARK.findall(text):
        denied.setdefault(label.casefold(), "")
    plain.update(label.casefold() for label in _YES_MARK.findall(text))
    text = _YES_MARK.sub(" ", _NO_MARK.sub(" ", text))
    # a negation's subject is in its own clause: `大小固定，没有参数`
    for part in _CLAUSE_BREAK.split(text):
        _scan_scopes(part, denied, plain)
    return denied, plain


NO_MARKS, YES_MARKS = "×✗✘", "√✓✔"  # a table's crosses and ticks
_NO_MARK = re.compile(rf"([^\s：:，,；;|/{NO_MARKS}{YES_MARKS}]+)\s*[：:]?\s*[{NO_MARKS}]")
_YES_MARK = re.compile(rf"([^\s：:，,；;|/{NO_MARKS}{YES_MARKS}]+)\s*[：:]?\s*[{YES_MARKS}]")
# Where a predicate's subject stops: not at 、, which lists subjects of one predicate
# (`select、insert 都会…`).
_SUBJECT_BREAK = re.compile(r"[，,；;。！？!?]")
# Punctuation that ends a clause: the word before a negator in another clause is not what it is
# about.
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?、]")


def _negated_rest(token: str) -> str | None:
    """None when the token negates nothing; else what it denies within itself: the rest of a word
    after its Chinese negator (`不支持` → 支持), or "" for a negator alone or an English one."""
    if token not in _ZH_NOT_NEGATION:
        negator = next((n for n in _ZH_NEGATORS if token.startswith(n)), None)
        if negator is not None:
            return token[len(negator) :]
    return "" if _EN_NEGATION.fullmatch(token) else None


def _scan_scopes(text: str, denied: dict[str, str], plain: set[str]) -> None:
    tokens = [t for t in _tokens(text) if t.strip() and any(ch.isalnum() for ch in t)]
    reach, subject, last = 0, "", ""
    verb = ""
    for token in tokens:
        rest = _negated_rest(token)
        if rest is not None:
            reach, subject = NEGATION_SCOPE, last
            if _is_word(rest):
                denied.setdefault(rest, subject)
                reach -= 1
            elif len(rest) == 1 and CJK.match(rest) and rest not in _ADVERBS:
                # the segmenter glued a one-character verb to its negator (`不防重放`): the verb
                # and its object are denied together, not the object (`可以被重放` agrees)
                verb = rest
            continue
        if verb:
            glued, verb = verb, ""
            if reach > 0 and _is_word(token):
                denied.setdefault(glued + token, subject)
                reach -= 1
                continue
            reach -= 1  # the glued verb was the word denied
        if reach > 0 and token in _MODALS:
            # `不需要 STW` denies STW, as 不用 STW would: the segmenter cut the negator 不需要
            denied.setdefault(token, subject)
            continue
        if not _is_word(token) or token in _STOP:
            if reach > 0 and len(token) == 1 and CJK.match(token) and token not in _STOP:
                # a one-character verb is what is denied (`不会写到 binlog` denies 写, not binlog)
                reach -= 1
            continue
        if reach > 0:
            denied.setdefault(token, subject)
            reach -= 1
        else:
            plain.add(token)
        if token not in _NO_SUBJECT:
            last = token


# A clause that opens with one of these goes on about the subject before it (`数据有前向安全，也能
# 防重放`): Chinese does not say the subject again.
_GOES_ON = re.compile(r"^\s*(?:也|还|又|并且|而且|并|且|同时|都)")


def _in_one_clause(text: str, subject: str, word: str) -> bool:
    """Subject and predicate in one clause of the text: in
    `select 不会写到 binlog，只有 update 才会记录` 记录 is said of update, not of select; a clause
    opening with 也, 还, 并且 … is the one before it, going on."""
    clauses: list[str] = []
    for part in _SUBJECT_BREAK.split(text):
        if clauses and _GOES_ON.match(part):
            clauses[-1] += f"，{part}"
        else:
            clauses.append(part)
    return any(
        subject in words and (word in words or word in normalize_text(c))
        for c, words in ((c, set(_tokens(c))) for c in clauses)
    )


# The characters that negate what follows them within a word or two (`不能防重放`, `没法…`).
_NEGATOR_CHARS = frozenset("不没无未非别")


def _affirms_phrase(text: str, phrase: str) -> bool:
    """A denied verb phrase (`防重放`) said in the text with no negator right before it."""
    if len(phrase) < 3 or not all(CJK.match(ch) for ch in phrase) or phrase[0] in _NEGATOR_CHARS:
        return False
    normal = normalize_text(text)
    at = normal.find(phrase)
    # `能防重放` affirms it; `不能防重放`, `没法防重放` do not
    return at >= 0 and not _NEGATOR_CHARS & set(normal[max(0, at - 2) : at])


def _negated_after(word: str, text: str) -> bool:
    """The clause fragment holding `word` negates something after it: Chinese often names a thing
    and then denies it (`脏读不会出现`, `数据不存在`)."""
    for part in _CLAUSE_BREAK.split(text):
        lowered = part.casefold()
        at = lowered.find(word)
        if at >= 0 and has_negator(part[at + len(word) :]):
            return True
    return False


def role_groups(text: str) -> frozenset[int]:
    """Which of the paired roles (client/server, master/replica …) the text names, as indices of
    _ROLES sides."""
    tokens = _tokens(text)
    return frozenset(
        2 * i + side
        for i, pair in enumerate(_ROLES)
        for side in (0, 1)
        if any(_has(text, tokens, w) for w in pair[side])
    )


@lru_cache(maxsize=1)
def opposite_pairs() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """The pairs of opposite directions, quantities and properties (not roles), each side's
    words."""
    return _OPPOSITES


def contrast_words() -> frozenset[str]:
    """Every word of the opposite and role pairs: where two claims differ on purpose, not what they
    share."""
    return frozenset(w.casefold() for pair in (*_OPPOSITES, *_ROLES) for side in pair for w in side)


def has_negator(text: str) -> bool:
    """Whether the text negates anything, in either language."""
    denied, _ = _scopes(text)
    return bool(denied) or any(_negated_rest(t) is not None for t in _tokens(text))


_HAVE = frozenset({"有", "具有", "拥有", "存在"})
_LACK = frozenset({"无", "没有", "没", "不存在"})


def _have_or_lack(point: str, clause: str) -> Contradiction | None:
    """One says a thing has it (`有亲缘关系`), the other that it has none (`无亲缘关系`), of the
    same word right after: the opposite whoever the subject."""
    point_tokens, clause_tokens = _tokens(point), _tokens(clause)
    for first, second in ((_HAVE, _LACK), (_LACK, _HAVE)):
        for word in _after(point_tokens, first) & _after(clause_tokens, second):
            said = next(t for t in second if f"{t}{word}" in "".join(clause_tokens))
            meant = next(t for t in first if f"{t}{word}" in "".join(point_tokens))
            return Contradiction("negation", f"says {said}{word} where the note says {meant}{word}")
    # the segmenter may cut the clause's `有前向安全` as 有前 / 向: look for the words themselves
    for word in _after(point_tokens, _LACK):
        if re.search(rf"(?<![没无不])有{re.escape(word)}", normalize_text(clause)):
            meant = next(t for t in _LACK if f"{t}{word}" in "".join(point_tokens))
            return Contradiction("negation", f"says 有{word} where the note says {meant}{word}")
    return None


def _after(tokens: Sequence[str], markers: frozenset[str]) -> set[str]:
    """The words right after one of `markers`."""
    return {
        tokens[i + 1]
        for i, token in enumerate(tokens[:-1])
        if token in markers and _is_word(tokens[i + 1])
    }


def _negation(point: str, clause: str, answer: str) -> Contradiction | None:
    """A word the point denies and the clause affirms (or the reverse) about the same subject (the
    word before the negator is in the other sentence too, or there is none: `两次握手无法防止` is
    not contradicted by `三次握手可以防止`), when the rest of the answer does not say it the point's
    way too (the sentence aligned may be about another of the note's claims)."""
    have = _have_or_lack(point, clause)
    if have is not None:
        return have
    point_denied, point_plain = _scopes(point)
    clause_denied, clause_plain = _scopes(clause)
    rest = answer.replace(clause, " ") if answer else ""
    answer_denied, _ = _scopes(rest)
    point_words = point_plain | set(point_denied)
    for word, subject in sorted(point_denied.items()):
        said = word in clause_plain or _affirms_phrase(clause, word)
        flipped = said and word not in clause_denied and word not in answer_denied
        # `脏读不会出现` denies 脏读 after naming it
        flipped = flipped and not _negated_after(word, clause)
        if flipped and (not subject or _in_one_clause(clause, subject, word)):
            return Contradiction("negation", f"affirms {word!r} where the note denies it")
    for word, subject in sorted(clause_denied.items()):
        flipped = word in point_plain and word not in point_denied
        if (
            flipped
            and (not subject or subject in point_words)
            and not _affirmed_of(rest, word, subject)
        ):
            return Contradiction("negation", f"denies {word!r} where the note affirms it")
    return None


def _affirmed_of(text: str, word: str, subject: str) -> bool:
    """Whether a clause of the text affirms `word`, of `subject` when there is one: that
    `多个分支都准备好时按代码顺序执行第一个` affirms 执行 says nothing of `default 也不会执行`."""
    for part in _SUBJECT_BREAK.split(text):
        _, plain = _scopes(part)
        if word in plain and (not subject or subject in _tokens(part)):
            return True
    return False


def _sides(
    text: str, tokens: Sequence[str], pair: tuple[frozenset[str], frozenset[str]]
) -> tuple[bool, bool]:
    """Which sides of an opposition the text says. A word said only inside the other side's longer
    word is not said (`blocking` in `non-blocking`, 阻塞 in 非阻塞): read as both sides at once, the
    opposite claim went unseen."""
    first = [w for w in pair[0] if _has(text, tokens, w)]
    second = [w for w in pair[1] if _has(text, tokens, w)]
    return (
        any(not _only_inside(text, w, second) for w in first),
        any(not _only_inside(text, w, first) for w in second),
    )


def _only_inside(text: str, word: str, longer: Sequence[str]) -> bool:
    """Whether every place the text says `word` lies inside a longer word it also says."""
    folded = text.casefold()
    places = [m.start() for m in re.finditer(re.escape(word.casefold()), folded)]
    spans = [
        (m.start(), m.end())
        for other in longer
        if len(other) > len(word)
        for m in re.finditer(re.escape(other.casefold()), folded)
    ]
    return bool(places) and all(
        any(start <= at and at + len(word) <= end for start, end in spans) for at in places
    )


def _direction(point: str, clause: str) -> Contradiction | None:
    point_tokens, clause_tokens = _tokens(point), _tokens(clause)
    for pair in _OPPOSITES:
        p_first, p_second = _sides(point, point_tokens, pair)
        c_first, c_second = _sides(clause, clause_tokens, pair)
        if p_first != p_second and c_first != c_second and p_first != c_first:
            said, meant = (pair[0], pair[1]) if c_first else (pair[1], pair[0])
            return Contradiction(
                "direction",
                f"says {_example(said, clause)} where the note says {_example(meant, point)}",
            )
    return None


def _example(variants: frozenset[str], text: str) -> str:
    return next(
        (v for v in sorted(variants, key=len, reverse=True) if v.casefold() in text.casefold()),
        min(variants),
    )


def _position(text: str, variants: Iterable[str]) -> int:
    lowered = text.casefold()
    found = [lowered.find(v.casefold()) for v in variants if v.casefold() in lowered]
    return min(found) if found else -1


def _order_swapped(point: str, clause: str, first: Iterable[str], second: Iterable[str]) -> bool:
    first, second = list(first), list(second)
    p1, p2, c1, c2 = (
        _position(point, first),
        _position(point, second),
        _position(clause, first),
        _position(clause, second),
    )
    if min(p1, p2, c1, c2) < 0 or (p1 < p2) == (c1 < c2):
        return False
    between_point = point[min(p1, p2) : max(p1, p2)]
    between_clause = clause[min(c1, c2) : max(c1, c2)]
    return bool(_ASYMMETRIC.search(between_point) and _ASYMMETRIC.search(between_clause))


def _roles(point: str, clause: str, names: frozenset[str]) -> Contradiction | None:
    point_tokens, clause_tokens = _tokens(point), _tokens(clause)
    for pair in _ROLES:
        p_first, p_second = _sides(point, point_tokens, pair)
        c_first, c_second = _sides(clause, clause_tokens, pair)
        if p_first and p_second and c_first and c_second and _order_swapped(point, clause, *pair):
            return Contradiction("roles", "swaps the roles the note gives")
        if p_first != p_second and c_first != c_second and p_first != c_first:
            said = _example(pair[0] if c_first else pair[1], clause)
            meant = _example(pair[1] if c_first else pair[0], point)
            return Contradiction("roles", f"gives {meant}'s part to {said}")
        swapped = _modifier_swapped(point_tokens, clause_tokens, pair)
        if swapped is not None:
            return Contradiction("roles", swapped)
    in_point = {n for n in names if _has(point, point_tokens, n)}
    in_clause = {n for n in names if _has(clause, clause_tokens, n)}
    missing, extra = in_point - in_clause, in_clause - in_point
    if missing and extra:
        return Contradiction("roles", f"says {min(extra)} where the note says {min(missing)}")
    shared = sorted(_ascii_words(point) & _ascii_words(clause))
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            if _order_swapped(point, clause, [a], [b]):
                return Contradiction("roles", f"swaps {a} and {b}")
    return None


def _modifier_swapped(
    point: Sequence[str], clause: Sequence[str], pair: tuple[frozenset[str], frozenset[str]]
) -> str | None:
    """The same thing given the other role (`a pointer to a heap object` where the note says
    `stack object`): the word right after one side in the point follows the other side in the
    clause, and never the point's side there; the clause may name both sides elsewhere (`stack
    frame`)."""
    point_pairs, clause_pairs = set(pairwise(point)), set(pairwise(clause))
    for mine, other in (pair, pair[::-1]):
        for role, thing in point_pairs:
            if role not in mine or not _is_word(thing) or thing in _STOP:
                continue
            if any((o, thing) in clause_pairs for o in other) and not any(
                (m, thing) in clause_pairs for m in mine
            ):
                said = next(o for o in other if (o, thing) in clause_pairs)
                return f"says {said} {thing} where the note says {role} {thing}"
    return None


def _ascii_words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z0-9_]{2,}", text)}


# 127.0.0.1, 1.2.3: an address or a version, not a quantity
_IP_OR_VERSION = re.compile(r"\d+(?:\.\d+){2,}")


def numbers_of(text: str) -> set[str]:
    """The quantities a text names: 三次 → 3, １２８ → 128, 100,000 → 100000; no addresses or
    versions."""
    text = _ZH_NUMBER.sub(lambda m: str(_ZH_DIGITS[m.group(1)]), normalize_text(text))
    text = _IP_OR_VERSION.sub(" ", re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in _NUMBER.findall(text)}


# A quantity and what it counts: the word right after the number (`16384个槽` → 个槽, `200 MB/s` →
# mb, `2-RTT` → rtt).
_COUNTED = re.compile(r"(?<![A-Za-z_\d.])(\d+(?:\.\d+)?)[\s-]?([\u4e00-\u9fff]{1,2}|[A-Za-z]+)")


def _counted(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for number, unit in _COUNTED.findall(_IP_OR_VERSION.sub(" ", normalize_text(text))):
        unit = unit.casefold()
        # a one-character unit glued to the next word (`每 2 秒强制 GC`: 秒, not 秒强)
        if len(unit) == 2 and not _is_unit(unit) and _is_unit(unit[0]) and CJK.match(unit):
            unit = unit[0]
        found.setdefault(unit, set()).add(number)
    return found


def _is_unit(word: str) -> bool:
    return any(word in family for family in _UNIT_FAMILIES)


# Units of one quantity, each spelling → its canonical name: the same number in another unit of the
# same quantity (`50-200M/s` / `50-200 KB/s`, `2 秒` / `2 ms`) is another amount. `m` is a megabyte
# among sizes and a minute among times; it contradicts a unit only where both are one quantity's.
_UNIT_FAMILIES: tuple[dict[str, str], ...] = (
    {
        **dict.fromkeys(("b", "byte", "bytes", "字节"), "B"),
        **dict.fromkeys(("k", "kb", "kib", "kbps"), "KB"),
        **dict.fromkeys(("m", "mb", "mib", "mbps", "兆"), "MB"),
        **dict.fromkeys(("g", "gb", "gib", "gbps"), "GB"),
        **dict.fromkeys(("t", "tb", "tib"), "TB"),
        **dict.fromkeys(("p", "pb", "pib"), "PB"),
    },
    {
        **dict.fromkeys(("ns", "纳秒", "nanoseconds"), "ns"),
        **dict.fromkeys(("us", "μs", "微秒", "microseconds"), "us"),
        **dict.fromkeys(("ms", "毫秒", "milliseconds"), "ms"),
        **dict.fromkeys(("s", "sec", "secs", "second", "seconds", "秒", "秒钟"), "s"),
        **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "分钟"), "min"),
        **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "小时"), "h"),
        **dict.fromkeys(("d", "day", "days", "天"), "d"),
    },
)


def _other_unit(point: dict[str, set[str]], clause: dict[str, set[str]]) -> Contradiction | None:
    """A number the point counts in one unit and the clause in another of the same quantity, and
    never in the point's."""
    for unit, numbers in point.items():
        for said, said_numbers in clause.items():
            shared = numbers & said_numbers - clause.get(unit, set())
            if not shared or said == unit:
                continue
            meanings = [
                (family[unit], family[said])
                for family in _UNIT_FAMILIES
                if unit in family and said in family
            ]
            if meanings and all(meant != other for meant, other in meanings):
                number, (meant, other) = min(shared), meanings[0]
                return Contradiction(
                    "number", f"says {number} {other} where the note says {number} {meant}"
                )
    return None


# Rough quantities, by their order of magnitude: `给几百篇笔记打分` / `给几千篇`, `几亿行` /
# `hundreds of millions of rows` (both 8).
_ZH_ROUGH = re.compile(
    r"(?:十几|几|数|上|成)(?P<base>[十百千])?(?P<big>[万亿])?|(?P<alone>[百千])?(?P<unit>[万亿])"
)
_EN_ROUGH = re.compile(
    r"(?<![A-Za-z])(?:(?P<few>dozens|tens|hundreds) of )?(?P<big>thousands|millions|billions)\b"
    r"|(?<![A-Za-z])(?P<small>dozens|tens|hundreds)\b(?! of (?:thousands|millions|billions))",
    re.IGNORECASE,
)
_ORDERS = {
    "十": 1,
    "百": 2,
    "千": 3,
    "万": 4,
    "亿": 8,
    "dozens": 1,
    "tens": 1,
    "hundreds": 2,
    "thousands": 3,
    "millions": 6,
    "billions": 9,
}


def rough_quantities(text: str) -> dict[int, str]:
    """Each order of magnitude a text names roughly → how it says it (几百 → 2, 十几万 → 5,
    `hundreds of millions` → 8); `几个` and `数据` name none."""
    found: dict[int, str] = {}
    normal = normalize_text(text)
    for match in _ZH_ROUGH.finditer(normal):
        said, after = match.group(), normal[match.end() : match.end() + 1]
        if (said == "万" and after == "一") or (said == "千万" and after in "不别要记"):
            continue  # 万一 (in case), 千万不要 (by no means)
        if match.group("unit"):
            order = _ORDERS[match.group("unit")] + _ORDERS.get(match.group("alone") or "", 0)
        elif match.group("base") or match.group("big"):
            order = _ORDERS.get(match.group("base") or "", 0) + _ORDERS.get(
                match.group("big") or "", 0
            )
            order += 1 if said.startswith("十几") else 0
        elif said == "十几":
            order = 1
        else:
            continue
        found.setdefault(order, said)
    for match in _EN_ROUGH.finditer(normal):
        if match.group("big"):
            order = _ORDERS[match.group("big").casefold()] + _ORDERS.get(
                (match.group("few") or "").casefold(), 0
            )
        else:
            order = _ORDERS[match.group("small").casefold()]
        found.setdefault(order, match.group())
    return found


def _numbers(point: str, clause: str) -> Contradiction | None:
    """Different quantities for the same thing: one number each and not the same (`2MSL` / `4MSL`,
    三次 / 两次); the same count of numbers and none in common (`50-200M/s` / `500 to 2000 MB/s`);
    or another number of the same unit where the point's is missing (`16384个槽` / `65536 个槽`).
    Otherwise which number goes with which claim is a guess, and nothing is said."""
    in_point, in_clause = numbers_of(point), numbers_of(clause)
    rough_point, rough_clause = rough_quantities(point), rough_quantities(clause)
    if (
        rough_point
        and rough_clause
        and not rough_point.keys() & rough_clause.keys()
        and not in_clause
    ):
        said, meant = next(iter(rough_clause.values())), next(iter(rough_point.values()))
        return Contradiction("number", f"says {said} where the note says {meant}")
    if not in_point or not in_clause:
        return None
    if in_point == in_clause:
        return _other_unit(_counted(point), _counted(clause))
    if (len(in_point) == 1 and len(in_clause) == 1) or (
        len(in_point) == len(in_clause) and not in_point & in_clause
    ):
        said, meant = ", ".join(sorted(in_clause)), ", ".join(sorted(in_point))
        return Contradiction("number", f"says {said} where the note says {meant}")
    clause_counted = _counted(clause)
    if wrong := _other_unit(_counted(point), clause_counted):
        return wrong
    for unit, numbers in _counted(point).items():
        other = clause_counted.get(unit, set()) - numbers
        if other and not numbers & in_clause:
            return Contradiction(
                "number", f"says {min(other)}{unit} where the note says {min(numbers)}{unit}"
            )
    return None


# `A 而非 B`, `A rather than B`: A is affirmed, B set aside. Each side reaches to its clause's end.
_CONTRAST = re.compile(
    r"(?P<a>[^，,；;。！？!?]{1,40}?)\s*"
    r"(?:而并非|而非|而不是|并非|rather than|instead of|as opposed to)"
    r"\s*(?P<b>[^，,；;。！？!?]{1,40})",
    re.IGNORECASE,
)


# each contrast of a text: (the words it affirms, the words it sets aside)
_Sides = list[tuple[set[str], set[str]]]


def _contrast_sides(text: str) -> _Sides:
    """Each contrast of the text as (the words affirmed, the words set aside), words both sides
    share left out."""
    sides = []
    for match in _CONTRAST.finditer(normalize_text(text)):
        kept = {w for w in _tokens(match.group("a")) if _is_contrasted(w)}
        dropped = {w for w in _tokens(match.group("b")) if _is_contrasted(w)}
        sides.append((kept - dropped, dropped - kept))
    return sides


def _is_contrasted(word: str) -> bool:
    """A word a contrast can be about: a Chinese word, or a Latin one of three letters or more
    (`compute-bound`)."""
    return _is_word(word) or (word.isascii() and len(word) > 2)


def _contrast_reversed(point: _Sides, clause: _Sides) -> Contradiction | None:
    """The clause affirms what the point sets aside and sets aside what it affirms: `基于内存绑定
    memory-bound 而不是 compute-bound` for `基于计算操作 compute-bound 而非内存绑定
    memory-bound`. Both as `_contrast_sides`."""
    for meant, aside in point:
        for said, said_aside in clause:
            if meant & said_aside and aside & said:
                preferred, instead = min(aside & said), min(meant & said_aside)
                return Contradiction(
                    "direction", f"prefers {preferred} to {instead}, the other way round"
                )
    return None


def _contrast_agrees(point: _Sides, clause: _Sides) -> bool:
    """Both set the same thing aside for the same other: the clause's `而不是` is the point's
    `而非`, no denial of anything the point affirms."""
    return any(
        meant & said and aside & said_aside and not (meant & said_aside or aside & said)
        for meant, aside in point
        for said, said_aside in clause
    )


def contradiction(
    point: str, clause: str, *, names: frozenset[str] = frozenset(), answer: str = ""
) -> Contradiction | None:
    """What in `clause` (an answer's sentence about `point`) says the opposite of the point, if
    anything.

    `names` are the reference's names (RDB, AOF, MyISAM …): giving a point's claim to another of
    them is a wrong claim, not a paraphrase. `answer` is the whole answer: a negation the aligned
    sentence seems to flip may be said the note's way elsewhere in it. Direction and negation words
    are compared within one language only."""
    point_sides, clause_sides = _contrast_sides(point), _contrast_sides(clause)
    found = (
        _numbers(point, clause)
        or _roles(point, clause, names)
        or _contrast_reversed(point_sides, clause_sides)
    )
    if found is None and _contrast_agrees(point_sides, clause_sides):
        return None
    if found is None and _is_chinese(point) == _is_chinese(clause):
        found = (
            _direction(point, clause)
            or _negation(point, clause, answer)
            or _flipped_claim(point, clause, answer)
        )
    return found


def _flipped_claim(point: str, clause: str, answer: str) -> Contradiction | None:
    """The same thing said of the same subject with the opposite polarity:
    `对内存友好，对 CPU 不友好` answered `对CPU友好、对内存不友好` swaps no word and negates none
    the note does not, but says of CPU what the note denies of it. Unless another sentence of the
    answer about the point's label (`定时删除：`, else its first word) says it the note's way (the
    clause may be about another of the note's claims), or the point says both."""
    point_claims, clause_claims = _claims(point), _claims(clause)
    label = _LABEL.match(point)
    lead = (
        label[1].strip().casefold()
        if label
        else next((t for t in _tokens(point) if _is_word(t)), "")
    )
    others = [
        s for s in _SENTENCE_END.split(answer.replace(clause, " ")) if lead and lead in s.casefold()
    ]
    rest = frozenset(claim for sentence in others for claim in _claims(sentence))
    for subject, word, negated in sorted(point_claims):
        if (subject, word, not negated) in point_claims or (subject, word, negated) in rest:
            continue
        if (subject, word, not negated) in clause_claims and (
            subject,
            word,
            negated,
        ) not in clause_claims:
            said = "denies" if not negated else "affirms"
            return Contradiction(
                "negation", f"{said} {word!r} of {subject!r} where the note does the opposite"
            )
    return None


_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_LABEL = re.compile(r"\s*([^：:，,。；;]{1,24})[：:]")  # `定时删除：…`, what the point is about


def _claims(text: str) -> frozenset[tuple[str, str, bool]]:
    """(subject, word, negated) for each word of each clause said of the word before it:
    `对 CPU 不友好` holds (cpu, 友好, True). Only words a negation can be about count, and a clause
    starts without a subject."""
    claims: set[tuple[str, str, bool]] = set()
    for part in _CLAUSE_BREAK.split(_YES_MARK.sub(" ", _NO_MARK.sub(" ", text))):
        last, negated = "", False
        for token in _tokens(part):
            rest = _negated_rest(token)
            if rest is not None:
                negated = True
                if _is_word(rest):
                    if last:
                        claims.add((last, rest, True))
                    last, negated = rest, False
                continue
            if not _is_word(token) or token in _STOP or token in _NO_SUBJECT:
                continue
            if last:
                claims.add((last, token, negated))
            last, negated = token, False
    return frozenset(claims)


def _is_chinese(text: str) -> bool:
    return len(CJK.findall(text)) >= 2
