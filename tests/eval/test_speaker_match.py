import pytest

from hague.eval.speakers import is_personal_name, same_speaker

BOARD = ("spokesperson for the Riverton Water Board", [], "Riverton Water Board")
MAYOR = ("Riverton\u2019s mayor", ["Anna Kovacs"], "City of Riverton")


@pytest.mark.parametrize(
    ("gold", "speaker", "org", "right"),
    [
        (("Anna Kovacs", [], None), "Kovacs", None, True),
        (("Anna Kovacs", [], None), "Mayor Anna Kovacs", "City of Riverton", True),
        (("Anna Kovacs", [], None), "Anna Horvath", None, False),
        (("Anna Kovacs", ["Anya Kovach"], None), "Kovach", None, True),
        (BOARD, "RWB spokesperson", None, True),
        (BOARD, "Riverton Water Board spokesperson", None, True),
        (BOARD, "spokesperson", "Riverton Water Board", True),
        (BOARD, "spokesperson", None, False),
        (BOARD, "spokesperson", "City of Riverton", False),
        (BOARD, "Riverton Water Board", "Riverton Water Board", False),
        (MAYOR, "Riverton's mayor", None, True),
        (MAYOR, "Kovacs", None, True),
        (MAYOR, "Riverton", None, False),
        (("Riverton Water Board", [], "Riverton Water Board"), "RWB", None, True),
        (("Riverton Water Board", [], "Riverton Water Board"), "Riverton", None, False),
        (("Officials", [], None), "officials", None, True),
        (("Officials", [], None), None, None, False),
        (("Ukrainian officials", [], None), "officials", None, False),  # no org field: name it all
        (("Ukrainian officials", [], None), "Ukraine's officials", None, True),
        (("Russia's defence ministry", [], "Defence Ministry"), "Russian Defense Ministry", None, True),
        (("Ukraine's state railway company", [], "Ukrzaliznytsia"), "Ukraine", None, False),  # not the role
        (("Ukraine's state railway company", [], "Ukrzaliznytsia"), "state railway company", None, True),
        (("Zorgan", [], "Zorgan"), "Zorgan militants", "Zorgan", False),  # an organisation, not a surname
        (("Russia", [], "Government of Russia"), "Russia's ambassador", None, False),
    ],
)
def test_same_speaker(gold, speaker, org, right):
    assert same_speaker(*gold, speaker, org) is right


def test_personal_names_are_told_from_institutions_and_roles():
    assert is_personal_name("Linda Thomas-Greenfield")
    assert not is_personal_name("International Atomic Energy Agency")
    assert not is_personal_name("President Kovacs")
    assert not any(is_personal_name(n) for n in ("Ukrainians", "Moscow", "BBC"))
    assert is_personal_name("Karim A.A. Khan") and is_personal_name("Volker T\u00fcrk")
    assert not is_personal_name("spokesperson for the Riverton Water Board")
