"""The title line: brand, the substance's own name, dose form; Highlights boilerplate is no title."""
import pytest

from fhir_adapter import read_monograph
from fhir_adapter.monograph.product import read_title


@pytest.mark.parametrize("title, name, inn", [
    ("TESTAMOL- testamol hydrochloride tablet, film coated", "TESTAMOL (testamol hydrochloride)", "testamol hydrochloride"),
    ("TESTAMOL® (testamol calcium) Tablets for oral administration", "TESTAMOL (testamol calcium)", "testamol calcium"),
    ("Testamol 10 mg tablets", "Testamol", None),
])
def test_a_brand_and_the_substance_name_after_it(title, name, inn):
    p = read_title(title, 0)
    assert (p.name, p.inn) == (name, inn)


def test_a_us_title_for_injection_is_a_powder_and_see_full_prescribing_information_is_no_title():
    m = read_monograph("HIGHLIGHTS OF PRESCRIBING INFORMATION\nThese highlights do not include all the information "
                       "needed to use TESTAMOL safely and effectively.\nSee full prescribing information for TESTAMOL.\n"
                       "TESTAMOL (testamol) for injection, for intravenous use\nInitial U.S. Approval: 2001\n")
    assert m.product.name == "TESTAMOL (testamol)"
    assert m.product.dose_form_key == "powder-for-solution-for-injection"
    assert m.product.routes == ["intravenous"]
    # a solution or water for injection is no powder
    assert read_title("Testamol solution for injection", 0).dose_form_key != "powder-for-solution-for-injection"
    assert read_title("Sterile water for injection", 0).dose_form_key != "powder-for-solution-for-injection"
