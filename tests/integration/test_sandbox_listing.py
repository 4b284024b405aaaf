"""GET /v1/posts: strict parameters, filters, offset and cursor paging."""

from __future__ import annotations

import pytest

from sandbox_support import ACCOUNTS, PROFILE2_ID, target


@pytest.fixture
def many(client, sandbox):
    ids = []
    for i in range(25):
        platform = "twitter" if i % 2 else "linkedin"
        body = {"content": f"post {i} {'launch' if i % 5 == 0 else ''}", "platforms": [target(platform)],
                "scheduledFor": f"2030-03-{1 + i:02d}T10:00:00Z", "tags": ["even"] if i % 2 == 0 else ["odd"]}
        if i >= 20:
            body["isDraft"] = True
        ids.append(client.post("/v1/posts", json=body).json()["post"]["_id"])
    client.post("/v1/posts", json={"content": "fb", "platforms": [target("facebook")],
                                   "scheduledFor": "2030-04-01T10:00:00Z"})
    return ids


def test_pagination_object_and_default_sort(client, many):
    r = client.get("/v1/posts", params={"limit": 10})
    assert r.status_code == 200
    page = r.json()
    assert page["pagination"]["page"] == 1
    assert page["pagination"]["limit"] == 10
    assert page["pagination"]["total"] == 26
    assert page["pagination"]["pages"] == 3
    dates = [p["scheduledFor"] for p in page["posts"]]
    assert dates == sorted(dates, reverse=True)
    r = client.get("/v1/posts", params={"limit": 10, "page": 3})
    assert len(r.json()["posts"]) == 6
    assert r.json()["pagination"]["nextCursor"] is None
    r = client.get("/v1/posts", params={"limit": 10, "offset": 20})
    assert r.json()["pagination"]["page"] == 3


def test_cursor_paging_is_complete_and_stable(client, many):
    seen, cursor = [], None
    while True:
        params = {"limit": 7, "sortBy": "scheduled-asc", "platform": "twitter"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/posts", params=params).json()
        seen += [p["_id"] for p in page["posts"]]
        if len(seen) == 7:  # a post inserted mid-paging before the cursor must not shift the pages
            client.post("/v1/posts", json={"content": "early", "platforms": [target("twitter")],
                                           "scheduledFor": "2029-01-01T00:00:00Z"})
        cursor = page["pagination"]["nextCursor"]
        if cursor is None:
            break
    expected = [i for n, i in enumerate(many) if n % 2 == 1]
    assert seen == expected
    assert len(set(seen)) == len(seen)


def test_cursor_from_other_sort_or_filters_is_400(client, many):
    cursor = client.get("/v1/posts", params={"limit": 5}).json()["pagination"]["nextCursor"]
    assert cursor
    r = client.get("/v1/posts", params={"limit": 5, "cursor": cursor, "sortBy": "created-desc"})
    assert r.status_code == 400
    assert r.json()["param"] == "cursor"
    assert client.get("/v1/posts", params={"cursor": cursor, "status": "draft"}).status_code == 400
    assert client.get("/v1/posts", params={"cursor": "garbage!!"}).status_code == 400
    assert client.get("/v1/posts", params={"cursor": cursor, "sortBy": "status"}).status_code == 400
    page = client.get("/v1/posts", params={"sortBy": "status"}).json()
    assert page["pagination"]["nextCursor"] is None


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"page": 0}, "page"), ({"page": "x"}, "page"),
        ({"offset": -1}, "offset"), ({"status": "done"}, "status"), ({"sortBy": "random"}, "sortBy"),
        ({"fromDate": "2030-13-45"}, "fromDate"), ({"toDate": "yesterday"}, "toDate"),
        ({"dateFrom": "01/02/2030"}, "dateFrom"), ({"profileId": "nope"}, "profileId"),
        ({"fields": "content,secret"}, "fields"), ({"platform": ""}, "platform"),
        ({"includeHidden": "maybe"}, "includeHidden"),
    ],
)
def test_bad_query_values_are_400(client, params, param):
    r = client.get("/v1/posts", params=params)
    assert r.status_code == 400, r.text
    assert r.json()["param"] == param
    assert r.json()["type"] == "invalid_request_error"


def test_unknown_query_parameters_are_named(client):
    r = client.get("/v1/posts", params={"limit": 5, "colour": "red", "zzz": 1})
    assert r.status_code == 400
    assert "colour" in r.json()["error"]
    assert "zzz" in r.json()["error"]


def test_filters(client, many):
    def ids(**params):
        return [p["_id"] for p in client.get("/v1/posts", params={"limit": 500, **params}).json()["posts"]]

    assert len(ids(status="draft")) == 5
    assert len(ids(platform="linkedin")) == 13
    assert len(ids(accountId=ACCOUNTS["twitter"])) == 12
    assert len(ids(profileId=PROFILE2_ID)) == 1
    assert len(ids(profileId="all")) == 26
    assert len(ids(fromDate="2030-03-03", toDate="2030-03-05")) == 3
    assert len(ids(dateFrom="2030-03-03T00:00:00Z", dateTo="2030-03-03T23:59:59Z")) == 1
    assert len(ids(fromDate="", toDate="")) == 26
    assert len(ids(search="LAUNCH")) == 5
    assert len(ids(tags="even")) == 13
    assert ids(tags="even,odd") == []
    created = ids(sortBy="created-asc")
    assert created[:25] == many
    only = client.get("/v1/posts", params={"fields": "status", "limit": 1}).json()["posts"][0]
    assert set(only) == {"_id", "status"}
    assert client.get("/v1/posts", params={"source": "external"}).json()["posts"] == []
