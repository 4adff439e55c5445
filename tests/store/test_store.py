"""The store on its own: versions, index semantics per parameter type, transactions."""
import threading

import pytest

from fhir_adapter.store import Clause, Gone, NotFound, NotSupported, PreconditionFailed, Store
from fhir_adapter.store.indexer import date_range


@pytest.fixture()
def store(tmp_path):
    return Store(tmp_path / "t.sqlite")


def doc(rid, date=None, **kw):
    r = {"resourceType": "DocumentReference", "id": rid, "status": "current", "content": [{"attachment": {"title": rid}}]}
    if date:
        r["date"] = date
    r.update(kw)
    return r


def search_ids(store, rtype, *clauses, **kw):
    found, total = store.search(rtype, list(clauses), **kw)
    return [s.id for s in found]


def test_versions_history_and_deletion(store):
    s1 = store.create({"resourceType": "Medication", "status": "active"})
    assert s1.version == 1 and s1.resource["meta"]["versionId"] == "1"
    body = dict(s1.resource, status="inactive")
    s2, created = store.update(body, s1.id)
    assert (s2.version, created) == (2, False)
    same, _ = store.update(body, s1.id)
    assert same.version == 2  # identical content makes no new version
    with pytest.raises(PreconditionFailed):
        store.update(dict(body, status="active"), s1.id, if_match=1)
    assert store.vread("Medication", s1.id, 1).resource["status"] == "active"
    store.delete("Medication", s1.id)
    with pytest.raises(Gone):
        store.read("Medication", s1.id)
    with pytest.raises(NotFound):
        store.read("Medication", "never")
    items, total = store.history("Medication", s1.id)
    assert total == 3 and [i.method for i in items] == ["DELETE", "PUT", "POST"]
    assert search_ids(store, "Medication", Clause("status", None, ["inactive"])) == []  # unindexed on delete


def test_date_prefixes_follow_range_semantics(store):
    for rid, d in (("y2020", "2020"), ("d0315", "2020-03-15"), ("t1030", "2020-03-15T10:30:00Z"), ("y2021", "2021-06-01")):
        store.update(doc(rid, d), rid)

    def q(v):
        return sorted(search_ids(store, "DocumentReference", Clause("date", None, [v]), limit=100))

    assert q("2020-03-15") == ["d0315", "t1030"]  # eq: the day contains them
    assert q("2020") == ["d0315", "t1030", "y2020"]
    assert q("gt2020-12-31") == ["y2021"]
    assert q("lt2020-03-15") == ["y2020"]  # the year starts before the day
    assert q("ge2021-06-01") == ["y2021"]
    assert q("sa2020-12-31") == ["y2021"] and q("eb2020-03-01") == []
    assert q("ne2020") == ["y2021"]
    lo, hi = date_range("2020-03-15T10:30:00+02:00")
    assert lo == "2020-03-15T08:30:00.000000" and hi == "2020-03-15T08:30:00.999999"
    with pytest.raises(Exception, match="not a date"):
        q("yesterday")


def test_token_string_reference_and_missing(store):
    store.update({"resourceType": "Medication", "id": "m1", "status": "active",
                  "code": {"coding": [{"system": "http://snomed.info/sct", "code": "123"}], "text": "Ácido Fólico"}}, "m1")
    store.update({"resourceType": "Medication", "id": "m2", "status": "inactive"}, "m2")
    assert search_ids(store, "Medication", Clause("code", None, ["http://snomed.info/sct|123"])) == ["m1"]
    assert search_ids(store, "Medication", Clause("code", None, ["123"])) == ["m1"]
    assert search_ids(store, "Medication", Clause("code", None, ["|123"])) == []
    assert search_ids(store, "Medication", Clause("code", "text", ["acido"])) == ["m1"]  # accents folded
    assert search_ids(store, "Medication", Clause("name", None, ["ACIDO F"])) == ["m1"]
    assert search_ids(store, "Medication", Clause("code", "missing", ["true"])) == ["m2"]
    assert search_ids(store, "Medication", Clause("status", "not", ["active"])) == ["m2"]
    cud = {"resourceType": "ClinicalUseDefinition", "id": "c1", "type": "warning",
           "subject": [{"reference": "Medication/m1"}], "warning": {"description": "x"}}
    store.update(cud, "c1")
    for v, mod in (("Medication/m1", None), ("m1", None), ("m1", "Medication"),
                   ("http://example.org/fhir/Medication/m1", None)):
        assert search_ids(store, "ClinicalUseDefinition", Clause("subject", mod, [v])) == ["c1"], (v, mod)
    assert search_ids(store, "ClinicalUseDefinition", Clause("subject", "Device", ["m1"])) == []
    chained = Clause("subject", "Medication", ["http://snomed.info/sct|123"], ["code"])
    assert search_ids(store, "ClinicalUseDefinition", chained) == ["c1"]
    assert search_ids(store, "Medication", Clause("_has:ClinicalUseDefinition:subject:type", None, ["warning"])) == ["m1"]
    with pytest.raises(NotSupported):
        store.search("Medication", [Clause("nonsense", None, ["x"])])
    with pytest.raises(NotSupported):
        store.search("Medication", [Clause("code", "above", ["x"])])


def test_quantity_and_sort(store):
    for rid, days in (("a", 7), ("b", 30), ("c", 365)):
        store.update({"resourceType": "Group", "id": rid, "type": "person", "membership": "definitional",
                      "name": f"group {rid}", "quantity": days}, rid)
    assert search_ids(store, "Group", sort=["-name"]) == ["c", "b", "a"]
    assert search_ids(store, "Group", sort=["name"]) == ["a", "b", "c"]
    assert search_ids(store, "Group", Clause("type", None, ["person"]), limit=2) == ["a", "b"]
    assert search_ids(store, "Group", Clause("type", None, ["person"]), limit=2, offset=2) == ["c"]


def test_transaction_rolls_back(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.create({"resourceType": "Medication", "status": "active"}, "tx1")
            raise RuntimeError("boom")
    with pytest.raises(NotFound):
        store.read("Medication", "tx1")


def test_concurrent_writers_never_lose_an_update(tmp_path):
    path = tmp_path / "c.sqlite"
    Store(path).update({"resourceType": "Medication", "id": "m", "status": "active"}, "m")
    results = []

    def writer(n):
        s = Store(path)  # its own connection, as a separate worker would have
        for _ in range(20):
            cur = s.read("Medication", "m")
            body = dict(cur.resource, code={"text": f"writer {n} {cur.version}"})
            try:
                s.update(body, "m", if_match=cur.version)
                results.append(n)
            except PreconditionFailed:
                pass

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = Store(path).read("Medication", "m")
    assert final.version == 1 + len(results)  # every accepted update is a version; none overwritten


def test_reindex_rebuilds(store):
    store.update({"resourceType": "Medication", "id": "m", "status": "active"}, "m")
    store._conn().execute("DELETE FROM idx_token")
    assert search_ids(store, "Medication", Clause("status", None, ["active"])) == []
    assert store.reindex() == 1
    assert search_ids(store, "Medication", Clause("status", None, ["active"])) == ["m"]


def test_composite_matches_components_of_one_element(store):
    g = {"resourceType": "Group", "id": "g1", "type": "person", "membership": "definitional", "characteristic": [
        {"code": {"coding": [{"system": "http://snomed.info/sct", "code": "77386006"}]},
         "valueCodeableConcept": {"coding": [{"system": "http://example.org", "code": "yes"}]}, "exclude": False},
        {"code": {"coding": [{"system": "http://example.org", "code": "other"}]}, "valueBoolean": True,
         "exclude": False}]}
    store.update(g, "g1")

    def q(v):
        return search_ids(store, "Group", Clause("characteristic-value", None, [v]))

    assert q("http://snomed.info/sct|77386006$yes") == ["g1"]
    assert q("other$true") == ["g1"]
    assert q("77386006$true") == [] and q("other$yes") == []  # parts of two different characteristics
    with pytest.raises(Exception, match="joined by"):
        q("77386006")


def test_escaped_separators():
    from fhir_adapter.store.query import _split_dollar, _split_pipe, split_values

    assert split_values("a\\,b,c") == ["a,b", "c"]
    assert _split_pipe("http://x\\|y|code") == ["http://x|y", "code"]
    assert _split_dollar("a\\$b$c") == ["a$b", "c"]
    # a comma split leaves the other escapes for the next one
    assert [_split_pipe(v) for v in split_values("s\\|1|a,b")] == [["s|1", "a"], ["b"]]


def test_and_of_every_kind_of_clause(store):
    store.update({"resourceType": "Medication", "id": "m1", "status": "active", "code": {"text": "Alpha"}}, "m1")
    store.update({"resourceType": "Medication", "id": "m2", "status": "active", "code": {"text": "Beta"}}, "m2")
    for cid, mid, kind in (("c1", "m1", "warning"), ("c2", "m1", "indication"), ("c3", "m2", "warning")):
        body = {"resourceType": "ClinicalUseDefinition", "id": cid, "type": kind, "subject": [{"reference": f"Medication/{mid}"}]}
        body[kind] = {"description": "x"} if kind == "warning" else {"diseaseSymptomProcedure": {"concept": {"text": "y"}}}
        store.update(body, cid)

    def q(rtype, *clauses):
        return sorted(search_ids(store, rtype, *clauses, limit=50))

    chain = Clause("subject", "Medication", ["alpha"], ["code:text"])
    assert q("ClinicalUseDefinition", Clause("type", None, ["warning"]), chain) == ["c1"]
    assert q("ClinicalUseDefinition", chain, Clause("type", "not", ["warning"])) == ["c2"]
    assert q("ClinicalUseDefinition", Clause("type", None, ["warning"]), Clause("subject", None, ["m2"])) == ["c3"]
    has = Clause("_has:ClinicalUseDefinition:subject:type", None, ["indication"])
    assert q("Medication", has, Clause("status", None, ["active"])) == ["m1"]
    assert q("Medication", Clause("status", None, ["active"]), has, Clause("name", None, ["beta"])) == []
