"""Who said what: attributed statements (GOLD.md ``statements``) found with news-language patterns.

Three sources of statements, one pass per paragraph:

* direct quotes: each quoted passage of five or more words (or a whole quoted sentence) is attributed to
  the speaker of the speech verb next to it ("..., X said" / "X said: ..."), else to the speaker of the
  paragraph, else, for a paragraph that opens with a quote, to the previous speaker;
* reported speech: "X said (that) ...", "X accused Y of ...", "..., X said.", "according to X";
* speakers are resolved in :mod:`hague.reading.speakers`, stance in :mod:`hague.reading.stance`,
  when it was said in :mod:`hague.reading.dates`.

``said_on`` follows the gold convention: the time expression attached to the speech verb, else the
base date (publication day, or a reuse anchor's) for statements reported as current, else null.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from hague.datafiles import load_yaml
from hague.reading import dates, stance
from hague.reading.fields import Field, Statement, none_field
from hague.reading.prefilter import prefiltered
from hague.reading.speakers import SENTENCE_OPENERS, Resolver, Speaker, lexicon, name_in
from hague.reading.text import TextDoc, fold


@dataclass(frozen=True)
class _Verbs:
    pattern: re.Pattern[str]
    act: frozenset[str]
    participles: frozenset[str]
    telling: frozenset[str]
    ambiguous: frozenset[str]  # also participles after a noun ("the bodies found near ..."): need "that" there
    plural_only: frozenset[str]  # base forms, also nouns ("Clinton's claim"): need a plural subject


@lru_cache(maxsize=1)
def _verbs() -> _Verbs:
    data = load_yaml("hague.reading", "data/speech_verbs.yaml")
    words = sorted({*data["say"], *data["act"]}, key=len, reverse=True)
    # Run over every sentence: the prefilter skips the words no speech verb begins like.
    pattern = prefiltered(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")
    return _Verbs(pattern, frozenset(data["act"]), frozenset(data["participles"]), frozenset(data["telling"]),
                  frozenset(data["needs_subject"]), frozenset(data["plural_only"]))


_QUOTE = re.compile(r'"')
_ACCORDING = re.compile(r"(?i:according\s+to)\s+")
# A relative pronoun or complementiser just before a parenthetical "according to X,".
_RELATIVE_PARENTHESIS = re.compile(r"\b(?:that|which|who)\s*,\s*$")
# What may stand between a subject and its verb: auxiliaries, adverbs, time expressions.
_GAP = re.compile(
    r"(?:\s+(?:also|has|have|had|later|previously|earlier|then|further|again|repeatedly|reportedly|publicly|"
    r"recently|separately|once|initially|subsequently|would|will|did|had\s+also|has\s+also|however|"
    r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year|morning)|on\s+[A-Z]\w+day|[A-Z]\w+day|"
    r"(?:early|late)\s+[A-Z]\w+day|yesterday|today|on\s+[A-Z][a-z]+\.?\s+\d{1,2}|in\s+a\s+statement|"
    r"in\s+an\s+interview|on\s+(?:Twitter|Telegram|X|Facebook)|,\s*however,|also\s+on\s+[A-Z]\w+day|"
    r"[a-z]{3,}ly))*\s*$")
_PASSIVE = re.compile(r"(?:\b(?:was|were|is|are|be|been|being|to|not|I|we|you)\s*)$")
_NP_WORD = re.compile(r"[\w\u00C0-\u024F][\w.\u00C0-\u024F'-]*$")
_LONGEST_WORD = 100  # characters; _NP_WORD looks back no further, so finding a word costs O(1), not O(sentence)
_GLUE = {"of", "to", "for", "the", "in", "and", "on", "at", "de", "al", "el", "von", "van"}
_DETERMINERS = {"the", "a", "an"}
# Lower-case modifiers of a role or institution noun: "regional officials", "local health department".
_MODIFIER = re.compile(r"(?:al|ian|ese|ish|ary|ic|ive|ern|ior|ent|ed)$|^(?:local|top|senior|former|state|"
                       r"city|health|foreign|defen[cs]e|rescue|aid|news|press|prison|emergency|two|three|several)$")
_CAPITAL_DETERMINERS = {"The", "A", "An"}
_RELATIVE = re.compile(r"\b(?:which|that|whom)\s+$")
_WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_PRONOUNS = {"he", "she", "they", "it", "who"}
_PERSONAL = {"he", "she", "they", "it", "we", "you", "i", "who"}
_THAT = re.compile(r"\s*(?:,\s*)?(?:that\s+|:\s*)?")
# Found once over the whole text (see _Reader._clause_start): the prefilter skips what starts no opener.
_CLAUSE_OPENER = prefiltered(r"(?:[;:]|\b(?:said|says)\b,?)\s")
# A verb coordinated with the previous attribution: "Russia denied X and claimed Y".
_COORDINATED = re.compile(r"\s+and\s+$")
# A participle that introduces a quotation without a comma: 'accused Kyiv saying: "..."'.
_INTRODUCES = re.compile(r"\s*[:\"]")
# The addressee after "told": "told The Post they ...", "told reporters on Monday ...".
_ADDRESSEE = re.compile(r"\s*(?:(?:the|a|an|[A-Z][\w.'-]*|reporters|journalists|media|me|us|him|her|them)\s+)"
                        r"{1,4}(?=(?:they|he|she|it|we|the|a|an|[A-Z][\w'-]*|\d+|there)\s)")
# What may stand between a speech verb and the quotation it introduces: "that", or a short phrase ending in a
# comma or colon ('told his radio audience on Monday, "...', 'said in a statement: "...').
_INTRODUCED = re.compile(r'[\s:,]*(?:that\s*)?"?|(?:\s+(?!that\b|which\b|who\b)[\w.\'-]+){1,7}\s*[,:]\s*"?')
_PAREN_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z.]{1,9}\)\s*$")
_ACCORDING_SPEAKER = re.compile(
    r"((?:the\s+|a\s+|an\s+)?[\w.\u00C0-\u024F'-]+(?:\s+(?:of|to|for|the|in|and)?\s*"
    r"[\w.\u00C0-\u024F'-]+){0,7}?)(?=\s*(?:,|\.\s|\.$|$|;|\bwho\b))")
# Sentence ends are the document's (abbreviation-aware); inside a sentence only a semicolon ends a clause.
_CLAUSE_END = re.compile(r";\s")
# GOLD.md quotes are five words or more: shorter quoted terms are not statements of their own.
_MIN_WORDS = 5
_SHORT_WORDS = 3  # a quotation with its own explicit attribution counts from this length
_COLON_WORDS = 10  # at most this many words before a colon that introduces a quotation
# What a speaker may be said to be or do before a colon that introduces their words.
_COLON_PREDICATE = re.compile(r"\s+(?:was|were|is|are|has|had|remained|sounded|seemed|went|put|added|wrote|posted|"
                              r"tweeted|replied|responded|told|warned|said|says|summed)\b")
# A transcript speaker label at the start of a paragraph: "SECRETARY BLINKEN: Good afternoon."
_LABEL = re.compile(r"((?:[A-Z][A-Z.'-]*\s+){0,3}[A-Z][A-Z.'-]*[A-Z.])\s*:\s+(?=.*[a-z])")
_QUESTIONER = {"q", "question", "moderator", "operator", "journalist", "reporter"}
_BACK_REFERENCE = re.compile(r"\s+(?:this|so)\b(?!\s+(?:is|was|week|month|year|far)\b)")
# Words after a speech verb that do not make a reported clause ("said in a statement on Monday").
_FILLER = {"in", "a", "an", "the", "on", "at", "statement", "interview", "briefing", "late", "early",
           "during", "press", "conference", "news", "morning", "evening", "night", "afternoon"}
# More scene-setting words between a speech verb and "that" ("said on its Telegram channel last week that").
_SETTING = {"last", "this", "week", "month", "year", "earlier", "again", "its", "his", "her", "their", "of",
            "to", "for", "by", "with", "from", "social", "media", "account", "website", "post", "video",
            "address", "speech", "televised", "written", "separate", "joint", "channel", "page", "remarks"}
# "according to numerous reports" or "according to a translation": a source that is not a speaker.
_NOT_A_SOURCE = re.compile(
    r"^(?:(?:numerous|several|some|many|media|local|unconfirmed|news|initial|early)\s+)*reports?$"
    r"|^(?:a|the)\s+(?:translation|transcript)|^(?:his|her|their|its)\s", re.I)


@dataclass(frozen=True)
class _Who:
    """An attribution: who speaks, where the speaker phrase is, the verb, where to look for a time."""

    speaker: Speaker
    span: tuple[int, int]
    verb: str
    when: tuple[int, int]


@dataclass
class _Found:
    content: tuple[int, int]
    speaker: Speaker
    speaker_span: tuple[int, int]
    mode: str
    verb: str | None
    when: tuple[int, int]  # where to look for a time expression
    undated: bool = False  # a source cited for a standing fact, not words spoken on a day

    def who(self) -> _Who:
        return _Who(self.speaker, self.speaker_span, self.verb or "", self.when)


def _is_setting(word: str) -> bool:
    """Whether a word between "said" and "that" sets the scene ("in a statement on Monday") rather than
    opening the reported clause ("said a rocket that misfired ...")."""
    low = word.lower().strip(".,")
    return low in _FILLER or low in _SETTING or word[0].isupper() or word[0].isdigit() or low.endswith("ly")


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span without leading spaces and trailing spaces or punctuation."""
    s, e = span
    while s < e and text[s] in " ,":
        s += 1
    while e > s and text[e - 1] in " ,.;:":
        e -= 1
    return s, e


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """Role and institution nouns that head a speaker phrase ("minister", "ministry")."""
    lex = lexicon()
    return frozenset(lex["role"] | lex["role_heads"] | lex["institution"])


def _subject_before(text: str, pos: int, floor: int) -> tuple[int, int] | None:
    """The noun phrase that ends just before ``pos`` (after auxiliaries and time words), or None."""
    heads = _heads()
    # Both patterns are anchored at the verb; a short window keeps the search linear.
    gap = _GAP.search(text, max(floor, pos - 120), pos)
    end = gap.start() if gap else pos
    paren = _PAREN_ACRONYM.search(text, max(floor, end - 14), end)
    if paren:
        end = paren.start()
    if _PASSIVE.search(text, max(floor, end - 12), end):
        return None
    # An appositive: "Denis Pushilin, the leader of the republic, accused ..."
    if end > floor and text[end - 1] == ",":
        # The apposition may hold commas of its own ("Hamas, whose attack killed 1,400 people, said").
        comma = end - 1
        heads: list[tuple[tuple[int, int], int]] = []
        for _ in range(3):
            comma = text.rfind(",", max(floor, end - 160), comma)
            if comma <= floor:
                break
            head = _subject_before(text, comma, floor)
            if head:
                heads.append((head, comma))
        if not heads:
            return None
        # "Hailu Kebede, the foreign affairs chief of the party X, who comes from Y, said" and "NAME, a
        # columnist for OUTLET, said": the person the appositions describe is the speaker, not their employer.
        person = next(((h, c) for h, c in reversed(heads[1:]) if _opens_with_name(text, h)), None)
        if person is not None:
            return person[0]
        head, comma = heads[0]
        # "The deputy head of the office, Kyrylo Tymoshenko, said": the apposition names the person.
        apposition = text[comma + 1:end - 1]
        name = name_in(apposition)
        return (head[0], end - 1) if name and " " in name and _names_itself(apposition, name) else head
    start = end
    words: list[tuple[int, str]] = []
    i = end
    while i > floor:
        m = _NP_WORD.search(text, max(floor, i - _LONGEST_WORD), i)  # a window: scanning from floor is O(n)
        if not m or m.end() != i:
            break
        w = m.group()
        low = w.lower()
        modifier = bool(words) and bool(_MODIFIER.search(low)) and words[-1][1].lower() in heads
        if not (w[0].isupper() or low in _GLUE or low in heads or modifier
                or w[0].isdigit() or (not words and low in _PRONOUNS)):
            break
        if words and words[-1][1].lower() in _PRONOUNS and not words[-1][1].isupper():  # "he", not "WHO"
            break
        # A full stop before "The" ends a sentence the splitter took for an initial ("Tochka U. The ministry").
        if words and w.endswith(".") and words[-1][1] in _CAPITAL_DETERMINERS:
            break
        words.append((m.start(), w))
        start = m.start()
        i = m.start()
        while i > floor and text[i - 1] == " ":
            i -= 1
        if i > floor and text[i - 1] not in " " and not text[i - 1].isalnum() and text[i - 1] not in "'.-":
            break
    # A sentence adverb or conjunction is not part of the subject: "Yesterday the mayor said", "But Israel says".
    while len(words) > 1 and (words[-1][1].lower() in SENTENCE_OPENERS or words[-1][1] in _WEEKDAYS):
        words.pop()
    # Trim leading glue but keep a determiner.
    trimmed: tuple[int, str] | None = None
    while words and words[-1][1].lower() in _GLUE:
        last = words.pop()
        if last[1].lower() in _DETERMINERS and words:
            words.append(last)
            break
        trimmed = last
        start = words[-1][0] if words else end
    if not words:
        return _common_subject(text, end, floor)
    start = words[-1][0]
    if trimmed is not None and trimmed[1].lower() in _NOUN_COMPLEMENT and trimmed[0] < start:
        # "A villager in Pa Zi Gyi said": the place is the complement of the noun before it.
        extended = _complement_of(text, trimmed[0], (start, end), floor)
        if extended is not None:
            return extended
    if words[0][1][0].islower() and words[0][1].lower() in heads:
        # "one doctor said", "other health workers said": a role noun with its determiner or modifiers.
        extended = _common_subject(text, end, floor)
        if extended is not None and extended[0] < start:
            return extended
    content_words = [w for _, w in words if w.lower() not in _GLUE]
    if not content_words:
        return None
    first = content_words[-1]
    if len(content_words) == 1 and first.lower() not in _PRONOUNS and not first[0].isupper() \
            and first.lower() not in heads:
        return None
    if start > floor and text[start - 1:start] == '"':
        return None
    if first in ("who", "Who"):
        # "according to Ukrainian officials, who said ...": the relative pronoun's antecedent (not "WHO").
        comma = text.rfind(",", floor, start)
        if comma > floor and not text[comma + 1:start].strip():
            return _subject_before(text, comma, floor)
        return _antecedent(text, start, floor)
    return start, end


def _antecedent(text: str, who: int, floor: int) -> tuple[int, int] | None:
    """The noun phrase a restrictive "who" follows when it is a preposition's object ("according to health workers
    who said ...", "from residents who said ..."): a plural or person noun with its modifiers, or None."""
    window = max(floor, who - 80)
    tokens = [(m.start() + window, m.group()) for m in re.finditer(r"\S+", text[window:who])]
    if not tokens or not re.fullmatch(r"[a-z-]+", tokens[-1][1]):
        return None
    head = tokens[-1][1]
    if head in _FUNCTION_WORDS or head in _DETERMINERS_OF_SUBJECT or not (
            _PLURAL.search(head) or head in lexicon()["person_heads"]):
        return None
    start, i = tokens[-1][0], len(tokens) - 2
    while i >= 0 and len(tokens) - 1 - i <= 4:
        word = tokens[i][1]
        if word.lower() in _PREPOSITIONS:
            return start, tokens[-1][0] + len(head)
        if word.lower() in _DETERMINERS_OF_SUBJECT:
            start = tokens[i][0]
            i -= 1
            break
        if word.lower() in _FUNCTION_WORDS or not _SUBJECT_WORD.fullmatch(word) or word[-1] in ",;:)":
            return None
        start, i = tokens[i][0], i - 1
    if i >= 0 and tokens[i][1].lower() in _PREPOSITIONS:
        return start, tokens[-1][0] + len(head)
    return None


# A subject that is a common noun phrase: "The campaign says", "His lawyer said", "the New York businessman said",
# "Campaign aides said", "61 percent said". Read backwards from the verb over at most five words: a lower-case head
# noun, its modifiers, then a determiner, quantifier or number; without one, a plural head must open its clause.
_DETERMINERS_OF_SUBJECT = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "many", "several", "some", "most", "other",
    "both", "all", "few", "each", "every", "any", "no", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "dozens", "hundreds", "thousands"})
_FUNCTION_WORDS = frozenset({
    "that", "which", "who", "whom", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "by", "from",
    "during", "after", "before", "about", "over", "under", "into", "through", "across", "against", "among",
    "between", "near", "since", "until", "within", "without", "around", "per", "like", "than", "as", "if", "when",
    "is", "was", "were", "are", "has", "have", "had", "be", "been", "not", "it", "he", "she", "they", "we", "i", "you",
    "what", "this", "these", "those", "there", "so", "also", "then", "just", "only", "even", "still", "yet",
    "same", "way", "time", "thing", "things", "first", "last", "next", "reason", "fact", "point", "while", "because"})
_PREPOSITIONS = frozenset({
    "to", "of", "in", "on", "at", "for", "with", "by", "from", "during", "after", "before", "about", "over", "under",
    "into", "through", "across", "against", "among", "between", "near", "since", "until", "within", "without",
    "around", "per", "like", "than"})
# Words that open a clause, so that a bare plural subject may follow them ("..., and aides say").
_CLAUSE_LINKS = frozenset({"and", "but", "so", "while", "because", "that", "as", "although", "though", "since"})
# Suffixes of words that do not head a subject noun phrase ("the latest reported", "some unconfirmed reports").
_NOT_HEAD = re.compile(r"(?:ly|ed|est|ing)$")
_PLURAL = re.compile(r"(?:[^su]s|people|police|staff|media|public|children|men)$")
_SUBJECT_WORD = re.compile(r"(?:[\w\u00C0-\u024F][\w.\u00C0-\u024F-]*?)(?:'s)?$")


def _common_subject(text: str, end: int, floor: int, complement: bool = False) -> tuple[int, int] | None:
    """A common noun phrase that ends just before ``end`` (see ``_DETERMINERS_OF_SUBJECT``), or None; never the
    object of a preposition ("from the hospital shared", "at the scene reported") unless the preposition joins it to
    a noun before it ("a villager in Pa Zi Gyi said", "a spokesman for the media office said"), which then heads
    the subject."""
    window = text[max(floor, end - 80):end]
    tokens = [(m.start() + end - len(window), m.group()) for m in re.finditer(r"\S+", window)]
    if not tokens or tokens[-1][0] + len(tokens[-1][1]) != end:
        return None
    head = tokens[-1][1]
    if not re.fullmatch(r"[a-z][a-z-]+", head) or head in _FUNCTION_WORDS or _NOT_HEAD.search(head) \
            or head in _DETERMINERS_OF_SUBJECT or _verbs().pattern.fullmatch(head):
        return None
    start, i = tokens[-1][0], len(tokens) - 2
    while i >= 0 and len(tokens) - 1 - i <= 5:
        pos, word = tokens[i]
        low = word.lower()
        if low in _DETERMINERS_OF_SUBJECT or re.fullmatch(r"\d[\d,.]*", word):
            if i > 1 and tokens[i - 1][1] == "in" and tokens[i - 2][1].lower() in _DETERMINERS_OF_SUBJECT:
                i -= 2  # "six in 10 voters"
                pos = tokens[i][0]
            before = tokens[i - 1][1].lower() if i > 0 else ""
            if before in _PREPOSITIONS:
                return _complement_of(text, tokens[i - 1][0], (pos, end), floor) if not complement else None
            if before == "and" and i > 1:
                # "Two doctors and a nurse said": coordinated noun phrases speak together.
                first = _common_subject(text, tokens[i - 2][0] + len(tokens[i - 2][1]), floor, complement=True)
                if first is not None:
                    return first[0], end
            return pos, end
        if low == "of" and i > 0 and (tokens[i - 1][1].lower() in ("percent", "some", "many", "most", "half")):
            start, i = pos, i - 1
            continue
        if low in _FUNCTION_WORDS or not _SUBJECT_WORD.fullmatch(word) or word[-1] in ",;:)":
            break
        start, i = pos, i - 1
    if i >= 0 and tokens[i][1].lower() in _PREPOSITIONS and not complement:
        return _complement_of(text, tokens[i][0], (start, end), floor)
    if not _PLURAL.search(head):
        return None
    if i >= 0:
        prev = tokens[i][1]
        if not (prev.lower() in _CLAUSE_LINKS or prev[-1] in ",;:(-"):
            return None
    elif max(floor, end - 80) > floor and text[start - 1:start] not in ("\n",):
        return None
    return start, end


_NOUN_COMPLEMENT = frozenset({"in", "from", "at", "for", "of", "with"})


def _complement_of(text: str, preposition: int, phrase: tuple[int, int], floor: int) -> tuple[int, int] | None:
    """The noun phrase before ``preposition`` extended over the prepositional phrase ``phrase`` ("a villager" + "in
    Pa Zi Gyi"), or None when no noun phrase heads it ("shared widely from the hospital")."""
    if text[preposition:preposition + 5].split()[0].lower() not in _NOUN_COMPLEMENT:
        return None
    before = preposition
    while before > floor and text[before - 1] == " ":
        before -= 1
    head = _common_subject(text, before, floor, complement=True)
    if head is None:
        word = _NP_WORD.search(text, max(floor, before - _LONGEST_WORD), before)
        if word is None or word.end() != before or word.group().lower() not in _heads():
            return None
        head = (word.start(), before)
    return head[0], phrase[1]


# An auxiliary before an -ing form makes it a finite verb: "is saying", "'s claiming", "isn't saying".
_PROGRESSIVE = re.compile(r"(?:\b(?:is|are|was|were|been|be)(?:n't)?|'s|'re)\s+(?:(?:also|now|still|not)\s+)?$")


def _sentence_subject(text: str, sent: tuple[int, int]) -> tuple[int, int] | None:
    """The subject a sentence opens with ("Rival Hillary Clinton had mocked ..."), or None."""
    def opening(end: int) -> tuple[int, int] | None:
        subj = _subject_before(text, end, sent[0])
        if subj is None or any(w.lower().strip(",") not in SENTENCE_OPENERS for w in text[sent[0]:subj[0]].split()):
            return None
        return subj

    best = None
    for m in re.finditer(r"\S+", text[sent[0]:min(sent[1], sent[0] + 120)]):
        word = m.group()
        if not word[0].islower() or word.lower() in _GLUE or word.lower() in SENTENCE_OPENERS or word in ("'s",):
            continue
        pos = sent[0] + m.start()
        while pos > sent[0] and text[pos - 1] == " ":
            pos -= 1
        best = best or opening(pos)
        longer = opening(sent[0] + m.end())  # "OSINT analysts have ...": the word may still be the subject's head
        if longer is None or best is None:
            return best
        best = longer
    return None


# A relative clause or participle after the noun it describes: "who helped ...", "being treated at ...".
_POSTMODIFIER = re.compile(r"\s+(?:who|that|being|[a-z]+ing|[a-z]+ed)\s")


def _modified_subject(text: str, subj: tuple[int, int], sent: tuple[int, int]) -> tuple[int, int]:
    """The subject a relative clause or participle separates from its verb: in 'A paramedic who took the bodies to
    the Al-Aqsa Hospital told ...' the hospital, a preposition's object, does not speak; the paramedic does."""
    before = text[max(sent[0], subj[0] - 12):subj[0]].split()
    if not before or before[-1].lower() not in _PREPOSITIONS:
        return subj
    opening = _sentence_subject(text, sent)
    if opening is None or opening[1] >= subj[0] or "," in text[opening[1]:subj[0]] \
            or not _POSTMODIFIER.match(text, opening[1]):
        return subj
    return opening


def _is_plural(phrase: str) -> bool:
    """Whether a subject takes a plural verb: "critics", "they", "Mr. Hale and his aides"."""
    words = phrase.split()
    head = words[-1].lower() if words else ""
    return head in ("they", "we", "i", "you") or "and" in words \
        or (bool(_PLURAL.search(head)) and not head.endswith(("'s", "ss")))


def _names_itself(apposition: str, name: str) -> bool:
    """Whether an apposition is the name of what it follows ("..., Kyrylo Tymoshenko," or "..., its spokesman John
    Doe,"), not a phrase that mentions someone else ("..., the charity founded by chef Jose Andres,")."""
    lex = lexicon()
    before = apposition[:apposition.rfind(name)].split()
    return all(w[0].isupper() or w.lower().strip(".,'s") in lex["role"] | lex["title"] | _GLUE | _DETERMINERS
               or w.lower() in ("its", "his", "her", "their") for w in before)


def _opens_with_name(text: str, span: tuple[int, int]) -> bool:
    """Whether a noun phrase is a personal name ("Hailu Kebede"), not a role or an organisation."""
    phrase = text[span[0]:span[1]]
    name = name_in(phrase)
    return bool(name) and " " in name and phrase.strip().startswith(name.split()[0]) \
        and not any(w.lower() in lexicon()["institution"] for w in name.split())


_INVERTED_COMMON = re.compile(r"\s+((?:the|a|an)\s+(?:[\w'-]+\s+){0,4}?([a-z-]+))(?=\s*(?:[,.;]|$))")


def _subject_after(text: str, pos: int, ceil: int) -> tuple[int, int] | None:
    """The speaker after an inverted verb: '..., said Ukraine's foreign minister, Dmytro Kuleba.'"""
    m = re.compile(r"\s+((?:the\s+|a\s+|an\s+)?(?:[A-Z\u00C0-\u00DE][\w.\u00C0-\u024F'-]*|of|to|for|the|in|"
                   r"[a-z-]+(?=\s+[A-Z]))(?:\s+(?:[A-Z\u00C0-\u00DE][\w.\u00C0-\u024F'-]*|of|to|for|the|in|"
                   r"(?:al|el|bin|ibn|abu|de|da|di|van|von|der|del)-[A-Z\u00C0-\u00DE][\w\u00C0-\u024F'-]*|"
                   r"spokesperson|spokesman|spokeswoman|minister|secretary|official|officials|ambassador|"
                   r"governor|mayor|chief|head|president|ministry|office))*)").match(text, pos, ceil)
    # "..., said the Hamas-run government media office.": a determiner, modifiers and a role or institution noun
    # that close the clause.
    common = _INVERTED_COMMON.match(text, pos, ceil)
    if common is not None and common.group(2).lower() in _heads() and (m is None or common.end(1) > m.end(1)):
        m = common
    if not m or not m.group(1)[0].isupper() and not m.group(1).lower().startswith(("the ", "a ", "an ")):
        return None
    s, e = m.span(1)
    while e > s and text[e - 1] in ".,":
        e -= 1
    return (s, e) if e > s else None


def _quote_spans(text: str, para: tuple[int, int]) -> list[tuple[int, int, bool]]:
    """Quoted passages (inside the marks) in a paragraph; the flag is True when the passage is not closed."""
    marks = [m.start() for m in _QUOTE.finditer(text, para[0], para[1])]
    spans = []
    for i in range(0, len(marks), 2):
        if i + 1 < len(marks):
            spans.append((marks[i] + 1, marks[i + 1], False))
        else:
            spans.append((marks[i] + 1, para[1], True))
    return spans


class _Reader:
    def __init__(self, doc: TextDoc) -> None:
        self.doc = doc
        self.text = doc.folded
        self.resolver = Resolver(self.text, fold(doc.title or ""))
        self.verbs = _verbs()
        self.accused = stance.accused_party(self.text)
        self.found: list[_Found] = []
        self.dated: list[date] | None = None  # the last day of each date expression in the copy
        # The speaker of a quotation left open at the end of the previous paragraph.
        self.open_quote: _Who | None = None
        # The speaker named by the last transcript label ("SECRETARY BLINKEN: ...").
        self.label: _Who | None = None
        self._openers: list[tuple[int, int]] | None = None  # (start, end) of every clause opener
        self._semicolons: list[int] | None = None  # where every clause end (a semicolon) starts
        self._verb_matches: list[re.Match[str]] | None = None  # every speech verb in the document
        self._verb_starts: list[int] = []

    def run(self) -> list[Statement]:
        for para in self.doc.paragraphs:
            self._paragraph(para)
        found = [self._statement(f) for f in self.found]
        carry_dates(found, self.doc)
        return unify_office_holders(found)

    def _paragraph(self, para: tuple[int, int]) -> None:
        text = self.text
        body = self._transcript_label(para)
        spans = _quote_spans(text, para)
        if not spans and self.open_quote is not None:
            # A quotation running on over paragraphs with no marks (official statements quoted in full).
            self._whole(body, self.open_quote)
            return
        sentences = self.doc.sentences_in(para)
        inside = [(s, e) for s, e, _ in spans]
        attributed: dict[int, _Who] = {}
        para_found: list[_Found] = []
        for sent in sentences:
            last: _Who | None = None
            for m in self._verbs_in(sent):
                if any(s <= m.start() < e for s, e in inside):
                    continue
                f, who = self._verb(m, sent, spans, attributed, last)
                if who is not None and not _RELATIVE.search(text, max(0, who.span[0] - 8), who.span[0]):
                    last = who
                if f is not None:
                    para_found.append(f)
            for m in _ACCORDING.finditer(text, sent[0], sent[1]):
                if not any(s <= m.start() < e for s, e in inside):
                    f = self._according(m, sent)
                    if f is not None:
                        para_found.append(f)
        # A quotation inside a reported clause belongs to it ('accused Russia of "war crimes"').
        # A short quotation counts when its own attribution is explicit ('"It feels so good," he told ...', 'The
        # minister was blunt: "Never again."'); one a paragraph's other attribution would cover is a fragment.
        for k, q in enumerate(spans):
            if q[0] not in attributed:
                who = self._colon_speaker(q[0], para)
                if who is None and k and spans[k - 1][0] in attributed and self._resumes(spans[k - 1], q):
                    who = attributed[spans[k - 1][0]]
                if who is not None:
                    attributed[q[0]] = who
        quotes = [q for q in spans if not any(f.content[0] <= q[0] - 1 < f.content[1] for f in para_found)
                  and len(text[q[0]:q[1]].split()) >= (_SHORT_WORDS if q[0] in attributed else _MIN_WORDS)]
        default = next(iter(attributed.values()), None)
        if default is None and para_found:
            f = para_found[0]
            default = _Who(f.speaker, f.speaker_span, f.verb or "", f.when)
        if default is None and self.found and (text[para[0]] == '"' or self.open_quote is not None):
            default = self.open_quote or self.found[-1].who()
        self.open_quote = None
        for s, e, unclosed in quotes:
            who = attributed.get(s) or default
            if who is None:
                continue
            body_e = e
            while body_e > s and text[body_e - 1] in " ,":
                body_e -= 1
            para_found.append(_Found((s, body_e), who.speaker, who.span, "direct", who.verb, who.when))
            if unclosed:
                self.open_quote = who
        if not para_found and self.label is not None:
            self._whole(body, self.label)
            return
        para_found = _unnest(text, para_found)
        # Drop reported-speech statements whose content is mostly a direct quote found here.
        directs = [f for f in para_found if f.mode == "direct"]
        kept = [f for f in para_found if f.mode == "direct" or not any(_covered(f.content, d.content)
                                                                        for d in directs)]
        kept.sort(key=lambda f: f.content[0])
        self.found.extend(kept)

    def _verbs_in(self, sent: tuple[int, int]) -> list[re.Match[str]]:
        """The speech verbs of a sentence, as a search of the sentence alone finds them, from one search of the
        whole document (one search a sentence cost more). The same matches: a verb is words and single spaces, a
        sentence starts after a blank or a line's start and ends with a mark or the line's end before a blank, so
        no verb crosses a sentence's edge, and what the pattern looks at around a verb is the same either way."""
        if self._verb_matches is None:
            self._verb_matches = list(self.verbs.pattern.finditer(self.text))
            self._verb_starts = [m.start() for m in self._verb_matches]
        starts = self._verb_starts
        return self._verb_matches[bisect_left(starts, sent[0]):bisect_left(starts, sent[1])]

    def _resumes(self, before: tuple[int, int, bool], quote: tuple[int, int, bool]) -> bool:
        """Whether a quotation resumes the one before it after their attribution alone: '"Here he comes," she
        said, clapping. "Big Daddy."'."""
        between = self.text[before[1] + 1:quote[0] - 1]
        return len(between.split()) <= 6 and self.verbs.pattern.search(between) is not None \
            and between.rstrip().endswith((".", ",", ":"))

    def _colon_speaker(self, quote: int, para: tuple[int, int]) -> _Who | None:
        """The speaker of a quotation a colon introduces: 'The minister was blunt: "..."' or a headline's
        'UN chief: "..."'. What stands before the colon in its sentence must be a speaker, optionally with a
        short predicate ("was blunt", "put it this way")."""
        text = self.text
        colon = quote - 1
        while colon > para[0] and text[colon - 1] in ' "':
            colon -= 1
        if colon <= para[0] or text[colon - 1] != ":":
            return None
        colon -= 1
        sent = self.doc.sentence_of(colon) or para
        start = max(sent[0], para[0])
        pre = text[start:colon]
        if not pre.strip() or len(pre.split()) > _COLON_WORDS:
            return None
        predicate = _COLON_PREDICATE.search(pre)
        end = start + predicate.start() if predicate else colon
        subj = _subject_before(text, end, start)
        if subj is None or text[start:subj[0]].strip():
            return None
        speaker = self.resolver.resolve(text[subj[0]:subj[1]])
        return _Who(speaker, subj, "", (subj[0], colon))

    def _transcript_label(self, para: tuple[int, int]) -> tuple[int, int]:
        """Track transcript speaker labels; returns the paragraph without its label."""
        m = _LABEL.match(self.text, para[0], para[1])
        if m is None:
            return para
        label = m.group(1)
        words = {w.lower().rstrip(".") for w in label.split()}
        if words & _QUESTIONER:
            self.label = None
        elif words & (lexicon()["title"] | lexicon()["role"]) and len(words) >= 2:
            phrase = " ".join(w.capitalize() if w.isalpha() else w for w in label.split())
            self.label = _Who(self.resolver.resolve(phrase), m.span(1), "", (m.start(1), m.start(1)))
        else:
            return para
        return (m.end(), para[1])

    def _whole(self, body: tuple[int, int], who: _Who) -> None:
        if len(self.text[body[0]:body[1]].split()) >= _MIN_WORDS:
            self.found.append(_Found(body, who.speaker, who.span, "direct", who.verb, who.when))

    def _verb(self, m: re.Match[str], sent: tuple[int, int], quotes, attributed: dict[int, _Who],
              last: _Who | None) -> tuple[_Found | None, _Who | None]:
        text = self.text
        verb = m.group()
        base_verb = verb.split()[0]
        participle = verb in self.verbs.participles
        # Attribution of a quote that ends just before: '"...," Psaki said' or '"...," said Psaki'.
        before_quote = None if participle else next(
            (q for q in quotes if 0 <= m.start() - q[1] <= 60
             and text[q[1]:m.start()].count('"') == 1 and "." not in text[q[1] + 1:m.start()]
             and (text[q[1] - 1] in ",?!-" or text[q[1] + 1:q[1] + 2] == ",")), None)
        floor = max(sent[0], before_quote[1] + 1) if before_quote else sent[0]
        follows_comma = text[max(floor, m.start() - 2):m.start()].strip() == ","
        after_and = _COORDINATED.search(text, max(floor, m.start() - 5), m.start())
        progressive = _PROGRESSIVE.search(text, max(floor, m.start() - 16), m.start()) if verb.endswith("ing") else None
        if after_and and last is None and not participle:
            # 'Reid caucused on Saturday and says he voted ...': the verb shares the sentence's subject.
            opening = _sentence_subject(text, sent)
            if opening is None or opening[1] > after_and.start() \
                    or text[opening[0]:opening[1]].split()[0].lower() in _PREPOSITIONS | {"despite"} \
                    or verb in self.verbs.ambiguous and not re.match(r"\s+that\b", text[m.end():]):
                return None, None
            last = _Who(self.resolver.resolve(text[opening[0]:opening[1]]), opening, "", (sent[0], sent[1]))
        coordinated = last is not None and after_and
        if participle and last is None and follows_comma and not progressive:
            # 'Clinton mocked the complaint, saying ...': the speaker is the subject of the sentence.
            opening = _sentence_subject(text, sent)
            if opening is not None:
                last = _Who(self.resolver.resolve(text[opening[0]:opening[1]]), opening, "", (sent[0], sent[1]))
        if progressive is not None:
            # 'The White House is saying that ...': a finite verb, its subject before the auxiliary.
            subj = _subject_before(text, progressive.start(), floor)
            if subj is None:
                return None, None
            speaker, inverted = self.resolver.resolve(text[subj[0]:subj[1]], last.speaker if last else None), False
        elif participle or coordinated:
            # '..., Blinken said, adding that ...' or '... denied X and claimed Y': the sentence's speaker.
            if last is None or not (follows_comma or not participle or _INTRODUCES.match(text, m.end())):
                return None, None
            speaker, subj, inverted = last.speaker, last.span, False
        else:
            subj = _subject_before(text, m.start(), floor)
            inverted = False
            if subj is None:
                after = _subject_after(text, m.end(), sent[1])
                if after is not None and (before_quote is not None or follows_comma):
                    subj, inverted = after, True
            if subj is None:
                return None, None
            if not inverted:
                subj = _modified_subject(text, subj, sent)
            head = text[subj[0]:subj[1]].split()[-1]
            if not inverted and head[0].islower() and head not in _PERSONAL and head.lower() not in _heads() and (
                    verb in self.verbs.act
                    or verb in self.verbs.ambiguous and not re.match(r"\s+that\b", text[m.end():])):
                # "The bodies found near the school were ...": a participle after a common noun, not its verb; and
                # a common noun's acts ("the watchdog expressed concern") are not told apart from other doings.
                return None, None
            if verb in self.verbs.plural_only and not _is_plural(text[subj[0]:subj[1]]):
                return None, None
            # The subject of a relative clause ("the attack, which Moscow attributed to ...") is no antecedent.
            relative = bool(_RELATIVE.search(text, max(floor, subj[0] - 8), subj[0]))
            speaker = self.resolver.resolve(text[subj[0]:subj[1]], last.speaker if last else None,
                                            remember=not relative)
        when = (min(subj[0], m.start()), self._clause_end(m.end(), sent))
        if before_quote is not None and text[sent[0]:before_quote[0] - 1].strip() and (
                len(text[before_quote[0]:before_quote[1]].split()) < _MIN_WORDS
                or self._opens_mid_sentence(before_quote[0], sent)):
            # 'Her baby showed "no signs of life," he said.' and 'With a thousand polling stations, "there is no
            # single point of failure," he said.': the quotation ends a clause the speaker's words begin.
            content = _trim(text, (self._clause_start(sent[0], before_quote[0] - 1), before_quote[1]))
            who = _Who(speaker, subj, base_verb, (m.start(), sent[1]))
            if len(text[content[0]:content[1]].split()) < _MIN_WORDS:
                return None, who
            return _Found(content, speaker, subj, "indirect", base_verb, who.when), who
        if before_quote is not None:
            who = _Who(speaker, subj, base_verb, (m.start(), sent[1]))
            for q in quotes:
                if sent[0] - 400 <= q[0] <= before_quote[0] and q[0] not in attributed:
                    attributed[q[0]] = who
            attributed[before_quote[0]] = who
            return None, who
        after_verb = subj[1] if inverted else m.end()
        who = _Who(speaker, subj, base_verb, when)
        quote_follows = next((q for q in quotes if 0 <= q[0] - after_verb <= 80
                              and self._introduces(verb, after_verb, q[0])), None)
        if quote_follows is not None and len(text[quote_follows[1] + 1:self._clause_end(
                quote_follows[1], sent)].split()) >= _SHORT_WORDS and text[quote_follows[0] - 2] not in ",:":
            # 'said that "race still decides too much" in schools, housing and courts': the quotation opens a
            # reported clause that goes on past it, so the clause is the statement.
            quote_follows = None
        if quote_follows is not None:
            attributed[quote_follows[0]] = who
            return None, who
        if _BACK_REFERENCE.match(text, after_verb):
            # 'Prosecutor Karim Khan noted this in a statement': the content is the sentence before.
            prev = [s for s in self.doc.sentences if s[1] <= subj[0] and s[0] >= (self.doc.paragraph_of(
                subj[0]) or sent)[0]]
            if prev:
                return _Found(_trim(text, prev[-1]), speaker, subj, "direct", base_verb, when), who
        if not inverted and text[after_verb:after_verb + 1] == "," and text[subj[0] - 2:subj[0]] == ", ":
            # 'Those, the ministry said, include ...': the attribution sits inside its statement.
            content = _trim(text, sent)
            return _Found(content, speaker, subj, "indirect", base_verb, (subj[0], sent[1])), who
        act = verb in self.verbs.act
        telling = base_verb in self.verbs.telling
        c_start = m.start() if act else self._skip_object(after_verb, sent[1], telling)
        content = _trim(text, (c_start, self._clause_end(c_start, sent, m.end())))
        comma_after = not act and text[after_verb:after_verb + 1] == ","
        if inverted or comma_after or self._is_bare(content, base_verb):
            # Post-posed attribution: "A strike hit the hospital, officials said."
            c_end = m.start() if inverted else subj[0]
            content = _trim(text, (self._clause_start(sent[0], c_end), c_end))
            when = (subj[0], sent[1])
        else:
            content = _without_tail(text, content)
        # An act verb's content starts at the verb, so its subject is part of the statement's words.
        if len(text[content[0]:content[1]].split()) < _MIN_WORDS - (act and content[0] == m.start()):
            return None, who
        return _Found(content, speaker, subj, "indirect", base_verb, when), who

    def _introduces(self, verb: str, after_verb: int, quote: int) -> bool:
        """Whether the words between a speech verb and a quotation only introduce it ("that", 'on Monday, "'); a
        phrase may not hold a clause of its own ('said she cried out, "...') or follow an act verb."""
        m = _INTRODUCED.fullmatch(self.text, after_verb, quote)
        if m is None:
            return False
        phrase = self.text[after_verb:quote]
        if "," not in phrase and ":" not in phrase or not phrase.strip(' :,"'):
            return True
        words = {w.lower() for w in re.findall(r"[\w']+", phrase)}
        return verb not in self.verbs.act and not words & _PERSONAL \
            and self.verbs.pattern.search(self.text, after_verb, quote) is None

    def _opens_mid_sentence(self, quote: int, sent: tuple[int, int]) -> bool:
        """Whether the words before a quotation in its sentence are the same clause, not a colon or an attribution of
        their own ('He said: "..."')."""
        text = self.text
        if text[sent[0]:quote - 1].rstrip().endswith(":"):
            return False
        return self.verbs.pattern.search(text, sent[0], quote - 1) is None

    def _is_bare(self, content: tuple[int, int], verb: str) -> bool:
        """Whether what follows the verb is only a time phrase or an addressee, not a reported clause."""
        text = self.text
        rest = text[content[0]:content[1]]
        for s, e in reversed(dates.expressions(text, content[0], content[1])):
            rest = rest[:s - content[0]] + rest[e - content[0]:]
        words = [w for w in rest.split() if w.lower() not in _FILLER]
        if len(words) < 3 and all(_is_setting(w) for w in words):
            # "..., officials said on Telegram" is post-posed; "Clinton noted the clot's existence" has an object.
            return True
        return verb in self.verbs.telling and len(words) <= 4 and "that" not in words

    def _clause_end(self, start: int, sent: tuple[int, int], verb_end: int | None = None) -> int:
        """The end of the reported clause: a semicolon, the sentence end, or a second attribution."""
        # Semicolons found once per document: a search to the sentence end on every call was O(sentence).
        if self._semicolons is None:
            self._semicolons = [m.start() for m in _CLAUSE_END.finditer(self.text)]
        i = bisect_left(self._semicolons, start)
        # A semicolon inside a quotation ('"... a working person; if you are on Medicare ..."') ends no clause.
        while i < len(self._semicolons) and self._semicolons[i] + 2 <= sent[1] \
                and self.text.count('"', sent[0], self._semicolons[i]) % 2:
            i += 1
        end = self._semicolons[i] if i < len(self._semicolons) and self._semicolons[i] + 2 <= sent[1] else sent[1]
        if verb_end is not None:
            nxt = self._next_clause_start(start, end, verb_end)
            if nxt is not None:
                end = nxt
        return end

    def _skip_object(self, pos: int, ceil: int, telling: bool = False) -> int:
        """After "told reporters (on Monday) that", "told The Post they" or "said in a statement that":
        the clause's start."""
        text = self.text
        window = text[pos:min(ceil, pos + (120 if telling else 80))]
        m = re.search(r"\bthat\b", window)
        # The addressee of "told" may be long ("told customers at a breakfast spot in Manchester, N.H., that").
        if m and (telling and len(window[:m.start()].split()) <= 14 and '"' not in window[:m.start()]
                  or "," not in window[:m.start()] and len(window[:m.start()].split()) <= 8
                  and all(_is_setting(w) for w in window[:m.start()].split())):
            return pos + m.end()
        if telling:
            obj = _ADDRESSEE.match(text, pos, ceil)
            if obj:
                return obj.end()
        m2 = _THAT.match(text, pos)
        return m2.end() if m2 else pos

    def _next_clause_start(self, start: int, end: int, verb_end: int) -> int | None:
        """Where a second attribution in the same sentence begins ("... after he said ...", ", adding",
        "... and claimed ...")."""
        for m in self.verbs.pattern.finditer(self.text, verb_end, end):
            if m.group() in self.verbs.participles:
                if self.text[max(start, m.start() - 2):m.start()].strip() == ",":
                    return self.text.rfind(",", start, m.start())
                if _INTRODUCES.match(self.text, m.end()):
                    return m.start()
                continue
            coordinated = _COORDINATED.search(self.text, max(start, m.start() - 5), m.start())
            if coordinated:
                return coordinated.start()
            subj = _subject_before(self.text, m.start(), start)
            if subj is not None:
                cut = subj[0]
                before = self.text[max(start, cut - 12):cut]
                link = re.search(r"(?:,|\b(?:after|and|as|while|but|when|before|because))\s*$", before)
                if link:
                    return cut - (len(before) - link.start())
        return None

    def _clause_start(self, floor: int, end: int) -> int:
        """The start of a clause that ends at ``end`` inside a sentence (after a preceding attribution)."""
        # Openers found once per document: scanning from ``floor`` on every call was O(sentence) each time.
        if self._openers is None:
            self._openers = [(m.start(), m.end()) for m in _CLAUSE_OPENER.finditer(self.text)]
        i = bisect_right(self._openers, (end, end)) - 1
        while i >= 0 and self._openers[i][1] > end:
            i -= 1
        return self._openers[i][1] if i >= 0 and self._openers[i][0] >= floor else floor

    def _according(self, m: re.Match[str], sent: tuple[int, int]) -> _Found | None:
        text = self.text
        after = _ACCORDING_SPEAKER.match(text[m.end():sent[1]])
        if not after:
            return None
        s_start, s_end = m.end(), m.end() + after.end(1)
        if _NOT_A_SOURCE.search(text[s_start:s_end].rstrip(".")):
            return None
        speaker = self.resolver.resolve(text[s_start:s_end])
        undated = False
        if m.start() - sent[0] < 3:
            lead = len(text[s_end:sent[1]]) - len(text[s_end:sent[1]].lstrip(" ,"))
            content = (s_end + lead, sent[1])
        elif _RELATIVE_PARENTHESIS.search(text, max(sent[0], m.start() - 10), m.start()) \
                and text.startswith(",", s_end):
            # 'a charity that, according to the group, has fed millions': the words after the parenthesis are the
            # source's; before it stands only the relative clause's antecedent.
            content = (s_end + 1, self._clause_end(s_end + 1, sent))
            undated = True
        else:
            content = (self._clause_start(sent[0], m.start()), m.start())
        content = _trim(text, content)
        if len(text[content[0]:content[1]].split()) < _MIN_WORDS:
            return None
        return _Found(content, speaker, (s_start, s_end), "indirect", None, (m.start(), s_end), undated)

    def _statement(self, f: _Found) -> Statement:
        text = self.doc.text
        quote = text[f.content[0]:f.content[1]]
        if f.mode == "indirect" and _quoted_share(self.text, f.content) >= _DIRECT_SHARE:
            # 'Trump said voting fraud is "a big, big problem" but "nobody has the guts to talk about it"':
            # mostly the speaker's own words in quotation marks, so the statement is direct.
            f.mode = "direct"
        verb = f.verb or ""
        code, conf = stance.classify(self.text[f.content[0]:f.content[1]] if f.mode == "direct"
                                     else self.text[min(f.content[0], f.when[0]):f.content[1]], verb)
        sp = f.speaker
        # An appeal or invitation the cues name ("invited UN experts") stays one, whoever else it mentions.
        if not (code == "other" and conf > 0.3) and stance.counter_claim(code, self.text[f.content[0]:f.content[1]],
                                " ".join(x for x in (sp.phrase, sp.org or "") if x), self.accused):
            code, conf = "denies", 0.5
        said = self._said_on(f)
        return Statement(
            speaker=Field(sp.value, f.speaker_span[0], f.speaker_span[1], 0.8 if sp.is_person else 0.6),
            org=Field(sp.org, f.speaker_span[0], f.speaker_span[1], 0.5 if sp.org else 0.0),
            quote=Field(quote, f.content[0], f.content[1], 0.7),
            mode=Field(f.mode, f.content[0], f.content[1], 0.9 if f.mode == "direct" else 0.7),
            said_on=said,
            stance=Field(code, f.content[0], f.content[1], conf),
            role=Field(sp.role, f.speaker_span[0], f.speaker_span[1], 0.5) if sp.role else none_field(),
        )

    def _looks_back(self, base: date) -> bool:
        """Whether the copy only dates days well before ``base`` (a later account of earlier events), so an
        undated statement in it was not necessarily made on the publication day."""
        if self.dated is None:
            self.dated = [v.end for _, _, v in dates.find_dates(self.doc, 0, len(self.text))]
        latest = max((d for d in self.dated if d <= base), default=base)
        return latest < base - timedelta(days=1)

    def _said_on(self, f: _Found) -> Field[str | None]:
        lo, hi = f.when
        for s, e, value in dates.find_dates(self.doc, lo, hi):
            if not f.content[0] <= s < f.content[1]:
                return Field(value.to_gold(), s, e, 0.7)
        if f.undated:
            return none_field()
        base = self.doc.base_date(f.content[0])
        if base is not None and self._looks_back(base):
            return none_field()
        if base is None:
            # Undated copy ("... in Mariupol, Ukraine, Wednesday March 9, 2022"): its own latest full date.
            base = dates.stand_in_base(self.doc)
            if base is None:
                return none_field()
            return Field(base.isoformat(), None, None, 0.3)
        return Field(base.isoformat(), None, None, 0.4)


def carry_dates(found: list[Statement], doc: TextDoc) -> None:
    """Date a statement that has no time phrase of its own by its speaker's dated attribution just before.

    'Dr. Marin said Saturday that ... Her baby showed "no signs of life," he said.' is Saturday's statement,
    not the publication day's; the carried date must come from the same or the previous paragraph.
    """
    para_starts = [p[0] for p in doc.paragraphs]
    last: tuple[str, int, Field[str | None]] | None = None  # speaker, paragraph index, dated said_on
    for st in found:
        para = bisect_right(para_starts, st.quote.start or 0) - 1
        if st.said_on.start is not None and st.said_on.value:
            last = (st.speaker.value, para, st.said_on)
        elif last is not None and last[0] == st.speaker.value and para - last[1] <= 1:
            st.said_on = Field(last[2].value, last[2].start, last[2].end, 0.5)
            last = (last[0], para, last[2])


def unify_office_holders(found: list[Statement]) -> list[Statement]:
    """Name a speaker given only by a one-person office after the one person the document names for the
    same organisation; the office phrase is kept as an alias."""
    offices: re.Pattern[str] = lexicon()["unique_offices"]
    named: dict[str, set[str]] = {}
    for st in found:
        if st.org.value and st.speaker.value and name_in(st.speaker.value):
            named.setdefault(st.org.value.lower(), set()).add(st.speaker.value)
    for st in found:
        phrase, org = st.speaker.value or "", (st.org.value or "").lower()
        if name_in(phrase) or len(named.get(org, ())) != 1 or phrase.lower() == org:
            # The organisation itself ("Office of the High Commissioner") is no holder of its office.
            continue
        if not offices.search(phrase.lower()):
            continue
        (name,) = named[org]
        st.speaker_aliases = sorted({*st.speaker_aliases, phrase})
        st.speaker = Field(name, st.speaker.start, st.speaker.end, 0.6)
    return found


def _unnest(text: str, found: list[_Found]) -> list[_Found]:
    """Settle a post-posed attribution whose clause holds an attribution of its own.

    "The ministry said X, RIA reported" and "..., according to the AP" cite a source for the inner
    statement, which keeps its speaker; "The government assesses that X, Secretary Y said" names the person
    who speaks for the inner organisation; "The attack, which Moscow attributed to Z, killed 17, it said"
    hides the inner attribution in a relative clause, so the outer one is the statement.
    """
    dropped: set[int] = set()
    for outer in found:
        if outer.mode != "indirect" or id(outer) in dropped or outer.content[1] > outer.speaker_span[0]:
            continue
        inner = [f for f in found if f is not outer and id(f) not in dropped
                 and f.speaker_span[1] <= outer.speaker_span[0]
                 and (outer.content[0] <= f.speaker_span[0]
                      or (f.content[0] < outer.content[1] and outer.content[0] < f.content[1]))]
        if not inner:
            continue
        if all(_RELATIVE.search(text, max(0, f.speaker_span[0] - 8), f.speaker_span[0]) for f in inner):
            dropped.update(id(f) for f in inner)
            continue
        if outer.speaker.is_person and name_in(outer.speaker.value) \
                and not any(f.speaker.is_person for f in inner):
            for f in inner:
                f.when = (min(f.when[0], outer.when[0]), max(f.when[1], outer.when[1]))
                f.speaker, f.speaker_span = outer.speaker, outer.speaker_span
        dropped.add(id(outer))
    return [f for f in found if id(f) not in dropped]


# Where a reported clause ends inside its sentence: a comment the writer adds (", citing ...", ", although ...",
# ", but he refuses ...") or the setting of the speech act ("in a statement on Thursday", "in an interview").
_TAIL = re.compile(
    r",\s+(?:citing|referencing|although|though|whereas|even\s+as|but\s+(?:he|she|they|it|we|I)\b|however|"
    r"compared\s+(?:with|to)|asserting|conceding|acknowledging|referring)\b"
    r"|\s+(?:in|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|speech|"
    r"briefing|conference|tweet|post|email|letter|address|appearance|call|hearing|remarks)(?:\s+(?:on|with|to|at)\s+"
    r"[\w.'-]+(?:\s+[A-Z][\w.'-]*)*)?(?:\s+(?:on\s+)?(?:earlier\s+|late\s+)?[A-Z]\w+day(?:\s+(?:morning|evening|night))?)?\s*$")


def _without_tail(text: str, content: tuple[int, int]) -> tuple[int, int]:
    """A reported clause without a writer's comment or the speech act's setting at its end; at least the first
    five words stay."""
    start, end = content
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) <= _MIN_WORDS:
        return content
    floor = start + words[_MIN_WORDS - 1].end()
    m = _TAIL.search(text, floor, end)
    return (start, m.start()) if m else content


_DIRECT_SHARE = 0.5  # share of a reported clause's characters inside quotation marks that makes it direct


def _quoted_share(text: str, span: tuple[int, int]) -> float:
    """Share of the non-space characters of ``text[span]`` that lie inside quotation marks (an unclosed mark
    runs to the span's end; a mark opened just before the span counts)."""
    start, end = span
    inside = text.count('"', text.rfind("\n", 0, start) + 1, start) % 2 == 1
    quoted = total = 0
    cut = start
    while cut < end:
        mark = text.find('"', cut, end)
        stop = end if mark < 0 else mark
        chars = stop - cut - sum(text.count(ws, cut, stop) for ws in " \n")
        total += chars
        quoted += chars if inside else 0
        if mark < 0:
            break
        inside = not inside
        cut = mark + 1
    return quoted / total if total else 0.0


def _covered(indirect: tuple[int, int], direct: tuple[int, int]) -> bool:
    lo, hi = max(indirect[0], direct[0]), min(indirect[1], direct[1])
    return hi - lo >= 0.5 * (indirect[1] - indirect[0])


def extract(doc: TextDoc) -> list[Statement]:
    """Every attributed statement in ``doc``, in document order."""
    return _Reader(doc).run()
