"""`make bench`: measure MijnZaken (or any implementation of the same standard APIs) with wrk.

    python bench/run.py [--db sqlite|postgres] [--zaken N] [--quick]
    python bench/run.py --target https://zaken.example.nl --client-id ID --secret SECRET

Without --target it prepares a database (migrate, demo data, `demo generate` up to --zaken),
starts `mijnzaken serve` from this checkout and the floor app, and drives both with wrk
running as a separate process. Scenarios use only the standard APIs; the objects to request
are discovered through them. Results go to bench/results/ as JSON and Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pg
from cpu import Meter, postmaster_of
from waits import Waits, describe

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk" / "scenario.lua"
REGISTREER_LUA = ROOT / "bench" / "wrk" / "registreer.lua"
# the zaken of the registration scenario carry their own bronorganisatie, so that the
# benchmark's abonnement (filtered on it) receives exactly their notificaties
REGISTREER_RSIN = "100000009"
SUBSCRIBER_AUTH = "Bearer bench-abonnee"
CLIENT_ID = "mijnzaken-bench"
SECRET = "mijnzaken-bench-geheim-van-voldoende-lengte"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


@dataclass
class Scenario:
    name: str
    paths: list[str]
    method: str = "GET"
    bodies: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    floor: bool = False
    cookies: list[str] = field(default_factory=list)  # one per path (a logged-in browser)
    script: Path = LUA
    env: dict[str, str] = field(default_factory=dict)  # for the script
    facts: dict[str, Any] = field(default_factory=dict)  # reported with its result
    # the server notifies a subscriber on loopback of every write; the run waits for them
    notified: bool = False
    connections: int | None = None  # wrk's connections, when not --connections


def token(client_id: str, secret: str) -> str:
    return jwt.encode({"client_id": client_id, "iat": int(time.time())}, secret, "HS256")


def wanted(scenario: Scenario, only: str | None) -> bool:
    """Whether `--only` leaves the scenario in: the floor always (the ratios' base), any
    other when its name contains the text."""
    return not only or scenario.floor or only in scenario.name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the uvicorn workers), from /proc."""
    total, pids = 0, {pid}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().split(") ")[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                pids.add(int(entry.name))
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_wrk(
    base: str,
    scenario: Scenario,
    auth: str,
    args: argparse.Namespace,
    duration: int | None = None,
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(scenario.paths))
        paths_file = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(scenario.bodies))
        bodies_file = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(scenario.cookies))
        cookies_file = f.name
    headers = {**scenario.headers}
    if auth:
        headers["Authorization"] = auth
    env = {
        **os.environ,
        "BENCH_PATHS": paths_file,
        "BENCH_METHOD": scenario.method,
        "BENCH_BODIES": bodies_file if scenario.bodies else "",
        "BENCH_COOKIES": cookies_file if scenario.cookies else "",
        "BENCH_HEADERS": "|".join(f"{k}: {v}" for k, v in headers.items()),
        **scenario.env,
    }
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{scenario.connections or args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(scenario.script),
        base,
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    os.unlink(paths_file)
    os.unlink(bodies_file)
    os.unlink(cookies_file)
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def discover(
    api: httpx.Client,
    floor_ids: list[int],
    issuer: str | None = None,
    logins: int = 20,
    unqueued: int = 2,
) -> list[Scenario]:
    """Build the scenarios from what the register holds, through the standard APIs only
    (and, for the portal, through its login at the OpenID provider `issuer`). The citizen
    list runs twice: under the load of all connections, and with `unqueued` connections
    (one per server worker), whose latency is the request's own rather than its wait."""
    scenarios = [
        Scenario("floor (1 primary-key SELECT)", [f"/?id={i}" for i in floor_ids], floor=True)
    ]
    zaaktypen = api.get("/catalogi/api/v1/zaaktypen").json()["results"]
    scenarios.append(
        Scenario("zaaktype detail", [httpx.URL(z["url"]).raw_path.decode() for z in zaaktypen])
    )
    zaken = api.get("/zaken/api/v1/zaken", headers=CRS)
    if zaken.status_code == 200 and zaken.json()["results"]:
        paths = [httpx.URL(z["url"]).raw_path.decode() for z in zaken.json()["results"]]
        scenarios.append(Scenario("zaak detail", paths, headers={"Accept-Crs": "EPSG:4326"}))
        rollen = api.get("/zaken/api/v1/rollen", params={"betrokkeneType": "natuurlijk_persoon"})
        bsns = sorted(
            {
                r["betrokkeneIdentificatie"].get("inpBsn")
                for r in rollen.json().get("results", [])
                if r.get("betrokkeneIdentificatie", {}).get("inpBsn")
            }
        )[:50]
        if bsns:
            expand = "status,status.statustype,zaaktype,resultaat,rollen"
            lists = [
                f"/zaken/api/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn="
                f"{b}&expand={expand}"
                for b in bsns
            ]
            crs = {"Accept-Crs": "EPSG:4326"}
            scenarios.append(Scenario("citizen zaken list by BSN, with expand", lists, headers=crs))
            scenarios.append(
                Scenario(
                    f"citizen zaken list by BSN, with expand, {unqueued} connections",
                    lists,
                    headers=crs,
                    connections=unqueued,
                )
            )
            scenarios.extend(klantbeeld_scenarios(api, bsns))
            if issuer is not None:
                base = str(api.base_url)
                scenarios.extend(portal_scenarios(base, issuer, bsns[:logins]))
        scenarios.extend(document_scenarios(api, zaken.json()["results"][0]))
        scenarios.extend(write_scenarios(api, zaken.json()["results"]))
    return scenarios


DOCUMENTEN = "/documenten/api/v1/enkelvoudiginformatieobjecten"
# the documents of the prepared register belong to citizens shaped like the portal's heaviest
# users (bench/server_time.py measures their pages): 50 zaken and 200 documents each
PORTAAL_ZAKEN = 50
PORTAAL_DOCUMENTEN = 200
GENERATED_BASE = "http://127.0.0.1:8000"
PER_ZAAK = 50
BIG = 10 * 1024 * 1024
# the 10 MB document the download scenario reads; its content is reproducible (bench_inhoud),
# unlike that of the earlier "BENCH-10MB", so any checkout can re-create its file
BIG_IDENTIFICATIE = "BENCH-10MB-R"


def bench_inhoud(titel: str, omvang: int) -> bytes:
    """The content of a document the harness makes, reproducible from its titel and size.

    The document contents live in each checkout's file store while a PostgreSQL register is
    shared: another checkout re-creates a missing file from these two facts (and checks it
    against the sha256 the register holds). Random bytes, so nothing compresses them."""
    return random.Random(f"mijnzaken-bench:{titel}").randbytes(omvang)


def document_scenarios(api: httpx.Client, zaak: dict[str, Any]) -> list[Scenario]:
    """The documents of one zaak with 50 documents (its zaakinformatieobjecten, then the
    documents themselves in one `_zoek`), and the download of a 10 MB document. The zaak's
    documents and the large one are made once through the APIs and found again by later runs."""
    import base64

    zaaktype = api.get(zaak["zaaktype"]).json()
    if not zaaktype.get("informatieobjecttypen"):
        return []
    iot = zaaktype["informatieobjecttypen"][0]
    links_path = f"/zaken/api/v1/zaakinformatieobjecten?zaak={zaak['url']}"
    links = api.get(links_path).json()

    def document(titel: str, inhoud: bytes, identificatie: str = "") -> dict[str, Any]:
        body = {
            "bronorganisatie": "002220647",
            "creatiedatum": "2025-01-01",
            "titel": titel,
            "auteur": "Bench",
            "taal": "nld",
            "bestandsnaam": f"{titel}.bin",
            "informatieobjecttype": iot,
            "inhoud": base64.b64encode(inhoud).decode(),
        }
        if identificatie:
            body["identificatie"] = identificatie
        created = api.post(DOCUMENTEN, json=body, timeout=120)
        created.raise_for_status()
        result: dict[str, Any] = created.json()
        return result

    for n in range(len(links), PER_ZAAK):
        doc = document(f"bijlage-{n + 1}", bench_inhoud(f"bijlage-{n + 1}", 2048))
        api.post(
            "/zaken/api/v1/zaakinformatieobjecten",
            json={"zaak": zaak["url"], "informatieobject": doc["url"]},
        ).raise_for_status()
    links = api.get(links_path).json()
    uuids = [link["informatieobject"].rsplit("/", 1)[1] for link in links]
    big = api.get(DOCUMENTEN, params={"identificatie": BIG_IDENTIFICATIE}).json()["results"]
    if big:
        big_url = big[0]["url"]
    else:
        big_url = document("groot", bench_inhoud("groot", BIG), BIG_IDENTIFICATIE)["url"]
    download = httpx.URL(big_url).raw_path.decode() + "/download"
    if not downloads(api, download):
        raise SystemExit(
            f"the content of the download scenario's document ({big_url}) cannot be read: "
            "the register's file store does not hold it. Run the benchmark with the file "
            "store that belongs to this database (MIJNZAKEN_DOCUMENTEN_MAP of the server)."
        )
    # the size of the register these run against, as its API counts it
    facts = {"register_documenten": api.get(DOCUMENTEN).json().get("count")}
    return [
        Scenario(
            f"zaakinformatieobjecten of a zaak with {len(links)} documents",
            [links_path],
            facts=facts,
        ),
        Scenario(
            f"its {len(uuids)} documents with metadata (_zoek, expand informatieobjecttype)",
            [f"{DOCUMENTEN}/_zoek"],
            "POST",
            [json.dumps({"uuid__in": uuids, "expand": "informatieobjecttype"})],
            facts=facts,
        ),
        Scenario("download of a 10 MB document", [download], facts=facts),
    ]


def downloads(api: httpx.Client, path: str) -> bool:
    """Whether the content at `path` can be read whole (a missing file breaks the stream)."""
    try:
        with api.stream("GET", path, timeout=120) as resp:
            if resp.status_code != 200:
                return False
            for _ in resp.iter_raw():
                pass
    except httpx.HTTPError:
        return False
    return True


def klantbeeld_scenarios(api: httpx.Client, bsns: list[str]) -> list[Scenario]:
    """The customer view as JSON, asked by an application for a citizen (BSN in the body)."""
    if api.get("/klantbeeld/api/v1/schema/openapi.json").status_code != 200:
        return []
    bodies = [json.dumps({"bsn": b}) for b in bsns]
    return [
        Scenario(
            "klantbeeld JSON of a citizen (application)",
            ["/klantbeeld/api/v1/klantbeeld/_zoek"],
            "POST",
            bodies,
        )
    ]


def portal_scenarios(base: str, issuer: str, bsns: list[str]) -> list[Scenario]:
    """Mijn overzicht and a zaak page, each citizen logged in through the OpenID provider as
    a browser would be; wrk sends each path with that citizen's session cookie."""
    overview: list[str] = []
    detail_paths: list[str] = []
    detail_cookies: list[str] = []
    for i, bsn in enumerate(bsns):
        sub = f"bench-{i}"
        httpx.put(f"{issuer}/users/{sub}", json={"bsn": bsn}).raise_for_status()
        with httpx.Client(base_url=base, timeout=30) as browser:
            page = browser.get("/mijn/inloggen")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            if csrf is None:
                return []
            start = browser.post("/mijn/inloggen/oidc", data={"csrf_token": csrf.group(1)})
            back = httpx.post(start.headers["location"], data={"sub": sub}, timeout=30)
            browser.get(back.headers["location"])
            token = browser.cookies.get("mijngemeente")
            if not token:
                return []
            cookie = f"mijngemeente={token}"
            overview.append(cookie)
            links = re.findall(r'href="(/mijn/zaken/[0-9a-f-]+)"', browser.get("/mijn/").text)
            for link in links[:5]:
                detail_paths.append(link)
                detail_cookies.append(cookie)
    scenarios = [Scenario("portal Mijn overzicht", ["/mijn/"] * len(overview), cookies=overview)]
    if detail_paths:
        scenarios.append(Scenario("portal zaak page", detail_paths, cookies=detail_cookies))
    return scenarios


REGISTREER = "register a request: zaak + rol + status, notified"
CREATE_NOTIFIED = "create zaak, notified"


def write_scenarios(api: httpx.Client, zaken: list[dict[str, Any]]) -> list[Scenario]:
    """Creating a zaak, its initiator rol and its first status: the three calls a form makes.

    The first scenario makes all three per registration (bench/wrk/registreer.lua), while a
    subscriber receives the notificaties; then each call is measured alone, the creation of
    a zaak again with its notificatie delivered. Rollen and
    statussen of the single-call scenarios go to zaken the harness creates for the purpose,
    so the read scenarios of a later run see the same data."""
    zaaktype = zaken[0]["zaaktype"]
    statustypen = api.get("/catalogi/api/v1/statustypen", params={"zaaktype": zaaktype})
    roltypen = api.get("/catalogi/api/v1/roltypen", params={"zaaktype": zaaktype})
    first_status = min(statustypen.json()["results"], key=lambda s: s["volgnummer"])["url"]
    initiator = next(
        r["url"] for r in roltypen.json()["results"] if r["omschrijvingGeneriek"] == "initiator"
    )
    rsin = zaken[0]["bronorganisatie"]
    zaak = {
        "zaaktype": zaaktype,
        "bronorganisatie": rsin,
        "verantwoordelijkeOrganisatie": rsin,
        "startdatum": "2025-06-01",
        "omschrijving": "Benchmark",
    }
    targets = []
    for _ in range(50):
        created = api.post("/zaken/api/v1/zaken", json=zaak, headers=CRS)
        created.raise_for_status()
        targets.append(created.json()["url"])
    rollen = [
        json.dumps(
            {
                "zaak": url,
                "roltype": initiator,
                "betrokkeneType": "natuurlijk_persoon",
                "roltoelichting": "Aanvrager",
                "betrokkeneIdentificatie": {"inpBsn": "111222333"},
            }
        )
        for url in targets
    ]
    statussen = [
        json.dumps(
            {"zaak": url, "statustype": first_status, "datumStatusGezet": "2025-06-02T10:00:00Z"}
        )
        for url in targets
    ]
    registreer = {
        "BENCH_ZAAK": json.dumps(
            {**zaak, "bronorganisatie": REGISTREER_RSIN, "omschrijving": "Benchmark: registratie"}
        ),
        "BENCH_ROL": json.dumps(
            {
                "zaak": "__ZAAK__",
                "roltype": initiator,
                "betrokkeneType": "natuurlijk_persoon",
                "roltoelichting": "Aanvrager",
                "betrokkeneIdentificatie": {"inpBsn": "111222333"},
            }
        ),
        "BENCH_STATUS": json.dumps(
            {
                "zaak": "__ZAAK__",
                "statustype": first_status,
                "datumStatusGezet": "2025-06-02T10:00:00Z",
            }
        ),
        "BENCH_PREFIX": httpx.URL(str(api.base_url)).raw_path.decode().rstrip("/"),
    }
    return [
        Scenario(
            REGISTREER,
            ["/zaken/api/v1/zaken"],
            "POST",
            headers=dict(CRS),
            script=REGISTREER_LUA,
            env=registreer,
            notified=True,
        ),
        # the zaken carry the bronorganisatie the benchmark's abonnement filters on, so each
        # creation is measured with its notificatie delivered
        Scenario(
            CREATE_NOTIFIED,
            ["/zaken/api/v1/zaken"],
            "POST",
            [json.dumps({**zaak, "bronorganisatie": REGISTREER_RSIN})],
            dict(CRS),
            notified=True,
        ),
        Scenario("create rol (initiator with BSN)", ["/zaken/api/v1/rollen"], "POST", rollen),
        Scenario("create status", ["/zaken/api/v1/statussen"], "POST", statussen),
    ]


def subscribe(api: httpx.Client, subscriber: str) -> str:
    """An abonnement on kanaal zaken for the registration scenario's zaken only."""
    resp = api.post(
        "/notificaties/api/v1/abonnement",
        json={
            "callbackUrl": f"{subscriber}/hook",
            "auth": SUBSCRIBER_AUTH,
            "kanalen": [{"naam": "zaken", "filters": {"bronorganisatie": REGISTREER_RSIN}}],
        },
    )
    resp.raise_for_status()
    return str(resp.json()["url"])


def drop_abandoned_abonnementen(api: httpx.Client) -> int:
    """Delete the abonnementen that earlier runs of this harness left behind, and return how
    many. A run deletes its own after each scenario, but one that was killed could not: its
    subscriber is gone, and the server would retry every later notificatie to it during this
    run (in one such case 9,293 deliveries were pending, and a create cost the database four
    times its CPU). Only the harness's own are touched: a loopback `/hook` on kanaal zaken,
    filtered on the registration scenario's bronorganisatie (`subscribe`)."""
    dropped = 0
    resp = api.get("/notificaties/api/v1/abonnement")
    resp.raise_for_status()
    ours = {"naam": "zaken", "filters": {"bronorganisatie": REGISTREER_RSIN}}
    for abonnement in resp.json():
        if re.fullmatch(r"http://127\.0\.0\.1:\d+/hook", abonnement["callbackUrl"]) and any(
            {"naam": k["naam"], "filters": k.get("filters") or {}} == ours
            for k in abonnement["kanalen"]
        ):
            api.delete(abonnement["url"]).raise_for_status()
            dropped += 1
    return dropped


def received(subscriber: str) -> dict[str, int]:
    """What the subscriber has received: `count` receipts, `distinct` notificaties among them,
    `duplicates` (receipts of a notificatie that had arrived before)."""
    answer = httpx.get(f"{subscriber}/count", timeout=30).json()
    return {k: int(answer[k]) for k in ("count", "distinct", "duplicates")}


def await_deliveries(
    subscriber: str,
    before: dict[str, int],
    expected: int,
    unanswered: int = 0,
    limit: float = 300,
    quiet: float = 1.0,
) -> dict[str, Any]:
    """Wait until the subscriber has `expected` more distinct notificaties than `before`, then
    for those of the `unanswered` requests (in flight when wrk stopped: the server completes
    them unseen) until nothing arrives for `quiet` seconds. What arrived, how much of it was
    the same notificatie again, and when the expected ones were in."""
    start = time.monotonic()
    drained: float | None = None
    last, changed = -1, start
    now = {**before}
    while time.monotonic() - start < limit:
        now = received(subscriber)
        distinct = now["distinct"] - before["distinct"]
        if now["count"] != last:
            last, changed = now["count"], time.monotonic()
        if drained is None and distinct >= expected:
            drained = time.monotonic() - start
        if drained is not None and (
            distinct >= expected + unanswered or time.monotonic() - changed >= quiet
        ):
            break
        time.sleep(0.2)
    distinct = now["distinct"] - before["distinct"]
    return {
        "notificaties_expected": expected,
        "notificaties_delivered": now["count"] - before["count"],
        "notificaties_distinct": distinct,
        "notificaties_duplicates": now["duplicates"] - before["duplicates"],
        # notificaties of requests wrk did not see answered (at most `unanswered`)
        "notificaties_unanswered": max(0, distinct - expected),
        "drain_after_run_s": round(drained if drained is not None else limit, 1),
    }


def notificaties_summary(r: dict[str, Any]) -> str:
    """The registration scenario's notificaties in words: whether each arrived once, and
    where a surplus over wrk's count came from."""
    return (
        f"notificaties delivered {r['notificaties_delivered']} "
        f"({r['notificaties_distinct']} distinct, duplicates: {r['notificaties_duplicates']}) "
        f"for {r['notificaties_expected']} creations wrk saw answered, "
        f"{r['notificaties_unanswered']} more from requests still unanswered when wrk "
        f"stopped (at most {r['unanswered']}); all expected in {r['drain_after_run_s']} s "
        "after the run"
    )


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    mz = str(BIN / "mijnzaken")
    subprocess.run([mz, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            mz,
            "applicatie",
            "create",
            "--client-id",
            CLIENT_ID,
            "--secret",
            SECRET,
            "--alle-autorisaties",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    zaken = count_rows(env, args, "zaken_zaak")
    documenten = count_rows(env, args, "documenten_informatieobject")
    portaal_burgers = -(-max(0, args.documenten - documenten) // PORTAAL_DOCUMENTEN)
    ordinary = max(0, args.zaken - zaken - portaal_burgers * PORTAAL_ZAKEN)
    if ordinary or portaal_burgers:
        citizens = max(10, args.zaken // 50)  # about 50 zaken per citizen, as the issue asks
        started = time.monotonic()
        subprocess.run(
            [
                mz,
                "demo",
                "generate",
                "--citizens",
                str(citizens),
                "--zaken",
                str(ordinary),
                # a new series for what is added to an existing register (unique uuids)
                "--seed",
                str(zaken + 1),
                "--portaal-burgers",
                str(portaal_burgers),
                "--portaal-zaken",
                str(PORTAAL_ZAKEN),
                "--portaal-documenten",
                str(PORTAAL_DOCUMENTEN),
            ],
            # the base the document links are written under; bench/server_time.py assumes it
            env={**env, "MIJNZAKEN_BASE_URL": GENERATED_BASE},
            check=True,
        )
        print(
            f"generated {ordinary + portaal_burgers * PORTAAL_ZAKEN} zaken and "
            f"{portaal_burgers * PORTAAL_DOCUMENTEN} documents in "
            f"{time.monotonic() - started:.0f} s",
            flush=True,
        )
    restore_contents(env, args)


def restore_contents(env: dict[str, str], args: argparse.Namespace) -> None:
    """Re-create the files of this database's documents that the file store lacks.

    A reused database may have been prepared, and its documents made, by another checkout
    (the PostgreSQL database is shared, the file store `var/bench/documenten` is not): the
    download scenario would then answer with errors only. The harness makes its contents
    reproducible (`bench_inhoud`), so a missing file is written again, under its key, when
    the re-created content has the sha256 the register holds. Contents made otherwise cannot
    be restored; no scenario reads them, so they are only reported."""
    root = Path(env["MIJNZAKEN_DOCUMENTEN_MAP"]).resolve()
    rows = query(
        env,
        args,
        "SELECT inhoud_key, titel, COALESCE(bestandsomvang, 0), COALESCE(inhoud_sha256, '') "
        "FROM documenten_informatieobject WHERE inhoud_key IS NOT NULL",
    )
    restored, lost = 0, 0
    for key, titel, omvang, sha256 in rows:
        path = (root / key).resolve()
        if root not in path.parents:
            raise SystemExit(f"a content key outside the file store: {key!r}")
        if path.exists():
            continue
        inhoud = bench_inhoud(titel, int(omvang))
        if hashlib.sha256(inhoud).hexdigest() != sha256:
            lost += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(path.name + ".restoring")
        staging.write_bytes(inhoud)
        os.replace(staging, path)  # whole or not at all, as the register writes it
        restored += 1
    if restored or lost:
        print(
            f"file store {root}: re-created the content of {restored} documents of this "
            f"database; {lost} other contents (not made reproducibly) are missing",
            flush=True,
        )


def query(env: dict[str, str], args: argparse.Namespace, sql: str) -> list[list[str]]:
    """The rows of one query on the prepared database, each value as text."""
    url = env["MIJNZAKEN_DATABASE_URL"]
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            return [[str(v) for v in row] for row in conn.execute(sql)]
    out = pg.psql(args.pg_database, "-tA", "-F", "\x1f", "-c", sql)
    return [line.split("\x1f") for line in out.splitlines() if line]


def count_rows(env: dict[str, str], args: argparse.Namespace, table: str) -> int:
    """Rows in one table of the prepared database."""
    rows = query(env, args, f"SELECT COUNT(*) FROM {table}")
    return int(rows[0][0]) if rows else 0


def database_size(env: dict[str, str], args: argparse.Namespace) -> int:
    url = env["MIJNZAKEN_DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    out = pg.psql(args.pg_database, "-tAc", "SELECT pg_database_size(current_database())")
    return int(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--zaken", type=int, default=100_000)
    parser.add_argument(
        "--documenten",
        type=int,
        default=100_000,
        help="documents the prepared register holds at least (0: only those the scenarios add)",
    )
    parser.add_argument("--quick", action="store_true", help="small data, short runs")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="prepare (and report) the database, then stop: for bench/server_time.py",
    )
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of the same load before each scenario's measured run, not counted (0: none)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-database", default="mijnzaken_bench")
    parser.add_argument("--target", help="base URL of another ZGW implementation")
    parser.add_argument("--client-id")
    parser.add_argument("--secret")
    parser.add_argument(
        "--only",
        help="run only the scenarios whose name contains this (and the floor, the ratios' base)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / "var" / "bench", help="where the SQLite file lives"
    )
    args = parser.parse_args()
    if args.quick:
        args.zaken, args.duration, args.connections = min(args.zaken, 300), 2, 4
        args.warmup = min(args.warmup, 1)
        args.documenten = 0
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    procs: list[subprocess.Popen[bytes]] = []
    env = dict(os.environ)
    issuer: str | None = None
    subscriber: str | None = None  # a local webhook receiver, when the server is ours
    stack = contextlib.ExitStack()
    try:
        if args.target:
            base, floor_base = args.target.rstrip("/"), None
            auth = f"Bearer {token(args.client_id, args.secret)}"
        else:
            workdir = args.workdir
            workdir.mkdir(parents=True, exist_ok=True)
            if args.db == "sqlite":
                name = "quick.sqlite3" if args.quick else "bench.sqlite3"
                env["MIJNZAKEN_DATABASE_URL"] = f"sqlite+aiosqlite:///{workdir / name}"
            else:
                if args.quick:
                    args.pg_database += "_quick"
                pg.psql("test", "-qc", f"CREATE DATABASE {args.pg_database}", check=False)
                env["MIJNZAKEN_DATABASE_URL"] = pg.url(args.pg_database, "postgresql+asyncpg")
            env["MIJNZAKEN_DEMO"] = "false"
            env["MIJNZAKEN_DOCUMENTEN_MAP"] = str(workdir / "documenten")
            prepare(args, env)
            if args.prepare_only:
                return
            if args.db == "postgres":
                # what autovacuum does on a database in service (it may be off on a test
                # machine): the dead rows of earlier runs are not measured, and neither are the
                # writes of the vacuum itself (CHECKPOINT needs a role that may, hence no check)
                pg.psql(args.pg_database, "-qc", "VACUUM (ANALYZE)")
                pg.psql(args.pg_database, "-qc", "CHECKPOINT", check=False)
            # the portal's login: a real OpenID provider on a free port, plain-http cookies
            sys.path.insert(0, str(ROOT))
            from tests.oidc_provider import running_provider

            provider = stack.enter_context(running_provider())
            issuer = provider.issuer
            env.update(
                MIJNZAKEN_OIDC_ISSUER=issuer,
                MIJNZAKEN_OIDC_CLIENT_ID="mijngemeente-bench",
                MIJNZAKEN_OIDC_CLIENT_SECRET="mijngemeente-bench-geheim",
                MIJNZAKEN_PORTAL_SECURE_COOKIES="false",
                MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE="true",
            )
            port, floor_port = free_port(), free_port()
            base, floor_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "mijnzaken"),
                        "serve",
                        "--port",
                        str(port),
                        "--workers",
                        str(args.workers),
                    ],
                    env={**env, "MIJNZAKEN_BASE_URL": base},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "uvicorn"),
                        "--app-dir",
                        str(ROOT / "bench"),
                        "floor:app",
                        "--port",
                        str(floor_port),
                        "--workers",
                        str(args.workers),
                        "--log-level",
                        "warning",
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            sub_port = free_port()
            subscriber = f"http://127.0.0.1:{sub_port}"
            procs.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "bench" / "subscriber.py"), str(sub_port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            wait_for(f"{base}/")
            wait_for(f"{floor_base}/?id=1")
            wait_for(f"{subscriber}/stats")
            auth = f"Bearer {token(CLIENT_ID, SECRET)}"

        api = stack.enter_context(
            httpx.Client(base_url=base, headers={"Authorization": auth}, timeout=30)
        )
        if subscriber is not None:
            dropped = drop_abandoned_abonnementen(api)
            if dropped:
                print(f"deleted {dropped} abonnementen that an interrupted run left", flush=True)
        scenarios = discover(
            api,
            list(range(1, min(args.zaken, 1000) + 1)),
            issuer,
            5 if args.quick else 20,
            unqueued=args.workers,
        )
        results = []
        local_postgres = not args.target and args.db == "postgres"
        postmaster = postmaster_of(args.pg_database) if local_postgres else None
        dsn = pg.url(args.pg_database)
        for scenario in scenarios:
            if scenario.floor and floor_base is None:
                continue
            if not wanted(scenario, args.only):
                continue
            target = floor_base if scenario.floor else base
            assert target is not None
            abonnement, before = None, {"count": 0, "distinct": 0, "duplicates": 0}
            if scenario.notified and subscriber is not None:
                abonnement = subscribe(api, subscriber)  # its test notificatie arrives first
                before = received(subscriber)
            if args.warmup:
                # the same load first, not counted: what follows measures a server that has
                # been serving (its pools full, its statements prepared, its caches filled),
                # not one that opens its database connections during the measured seconds
                warm = run_wrk(target, scenario, "" if scenario.floor else auth, args, args.warmup)
                if abonnement is not None and subscriber is not None:
                    # the warm-up's notificaties are in before the measured run's are counted
                    await_deliveries(
                        subscriber,
                        before,
                        warm.get("created", warm["requests"] - warm["non_2xx"]),
                        scenario.connections or args.connections,
                    )
                    before = received(subscriber)
            server = procs[1 if scenario.floor else 0].pid if procs else None
            meter = Meter(server_pgrp=server, postmaster=postmaster)
            cpu_before = meter.read()
            # what the database's connections wait for while wrk runs (bench/waits.py)
            with Waits(dsn, args.pg_database) if local_postgres else contextlib.nullcontext() as w:
                r = run_wrk(target, scenario, "" if scenario.floor else auth, args)
            if w is not None:
                r["database_waits"] = w.summary()
            r["scenario"] = scenario.name
            r["connections"] = scenario.connections or args.connections
            r.update(scenario.facts)
            if scenario.name == REGISTREER:
                # registrations (zaak, rol and status all created) per second
                r["registrations_per_s"] = round(r["registered"] / (r["duration_us"] / 1e6), 1)
            elif scenario.notified:
                # one creation per answered 2xx; wrk stops with at most a request per
                # connection in flight, which the server completes (and notifies) unseen
                r["created"] = r["requests"] - r["non_2xx"]
                r["unanswered"] = args.connections
            if abonnement is not None and subscriber is not None:
                r.update(await_deliveries(subscriber, before, r["created"], r["unanswered"]))
            # read once the notificaties are out: their delivery is part of what it cost
            r.update(Meter.per_request(cpu_before, meter.read(), r["requests"]))
            if abonnement is not None:
                api.delete(abonnement).raise_for_status()
            if procs:
                r["server_rss_mib"] = round(
                    rss_kib(procs[0 if not scenario.floor else 1].pid) / 1024, 1
                )
            results.append(r)
            print(
                f"{scenario.name:<45} {r['rps']:>9.1f} req/s  p50 {r['p50_us'] / 1000:.1f} ms"
                f"  p95 {r['p95_us'] / 1000:.1f} ms  errors {r['errors']}  "
                f"CPU ms/req {cpu_summary(r)}",
                flush=True,
            )
            if "registrations_per_s" in r:
                print(
                    f"{'':<45} {r['registrations_per_s']:>9.1f} registrations/s"
                    + (f"  {notificaties_summary(r)}" if "notificaties_expected" in r else ""),
                    flush=True,
                )
            elif "notificaties_expected" in r:
                print(f"{'':<45} {notificaties_summary(r)}", flush=True)
            if "database_waits" in r:
                print(f"{'':<45} database: {describe(r['database_waits'])}", flush=True)
        floor_rps = next((r["rps"] for r in results if r["scenario"].startswith("floor")), None)
        for r in results:
            r["ratio_to_floor"] = round(r["rps"] / floor_rps, 3) if floor_rps else None
        report = {
            "when": dt.datetime.now(dt.UTC).isoformat(),
            "target": args.target or f"this checkout ({args.db})",
            "zaken": None if args.target else args.zaken,
            "documenten": next(
                (r["register_documenten"] for r in results if "register_documenten" in r), None
            ),
            "database_bytes": None if args.target else database_size(env, args),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "memory_kib": int(Path("/proc/meminfo").read_text().split()[1]),
            },
            "settings": {
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "connections": args.connections,
                "wrk_threads": args.threads,
                "server_workers": args.workers,
            },
            "results": results,
        }
        write_report(report, args)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(p.pid, signal.SIGKILL)
        stack.close()


def cpu_summary(r: dict[str, Any]) -> str:
    parts = [("server", "server_cpu_ms"), ("database", "database_cpu_ms"), ("wrk", "client_cpu_ms")]
    return ", ".join(f"{label} {r[key]:.2f}" for label, key in parts if r.get(key) is not None)


def write_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    label = "target" if args.target else args.db + ("-quick" if args.quick else "")
    (args.out / f"{stamp}-{label}.json").write_text(json.dumps(report, indent=2))
    lines = [
        f"# Benchmark {report['when']} — {report['target']}",
        "",
        f"zaken: {report['zaken']}, documents: {report['documenten']}, "
        f"database size: {report['database_bytes']} bytes, "
        f"machine: {report['machine']['cpus']} CPUs, {report['machine']['platform']}; "
        f"wrk {args.threads} thread(s), {args.connections} connections, {args.duration} s "
        f"after {args.warmup} s of warm-up; "
        f"server workers: {args.workers}",
        "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | RSS MiB | × floor "
        "| CPU ms/req: server | database | wrk |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        cpu = " | ".join(
            "" if r.get(k) is None else f"{r[k]:.3f}"
            for k in ("server_cpu_ms", "database_cpu_ms", "client_cpu_ms")
        )
        lines.append(
            f"| {r['scenario']} | {r['rps']:.1f} | {r['p50_us'] / 1000:.2f} | "
            f"{r['p95_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | {r['errors']} | "
            f"{r.get('server_rss_mib', '')} | {r['ratio_to_floor']} | {cpu} |"
        )
    for r in report["results"]:
        if "registrations_per_s" in r:
            line = f"{r['scenario']}: {r['registrations_per_s']} registrations/s"
            if "notificaties_expected" in r:
                line += f"; {notificaties_summary(r)}"
            lines += ["", line]
        elif "notificaties_expected" in r:
            lines += ["", f"{r['scenario']}: {notificaties_summary(r)}"]
    waited = [r for r in report["results"] if "database_waits" in r]
    if waited:
        lines += [
            "",
            "What the database's busy connections were doing while wrk ran (sampled every "
            "50 ms; bench/waits.py):",
            "",
            "| scenario | busy connections (mean); share of their samples; connections opened |",
            "|---|---|",
        ]
        lines += [f"| {r['scenario']} | {describe(r['database_waits'])} |" for r in waited]
    (args.out / f"{stamp}-{label}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
