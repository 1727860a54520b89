-- case_multi.lua - several messages on one connection, each with its own
-- verdict: tag, clean, reject, quarantine, clean.
dofile(dir .. "/common.lua")

local conn = open_conn()
local reply, status

reply, status = message(conn, "MULTI1", "vigie-e2e-tag one", "First.\r\n")
verify(status == "tag score=5.0", "1st message: tag", status, "tag score=5.0")
verify(mt.eom_check(conn, MT_HDRADD, "X-Vigie-Report", "E2E_TAG=5.0") or
    mt.eom_check(conn, MT_HDRINSERT, "X-Vigie-Report", "E2E_TAG=5.0"),
    "1st message: X-Vigie-Report: E2E_TAG=5.0", mt.getheader(conn, "X-Vigie-Report", 0),
    "E2E_TAG=5.0")

reply, status = message(conn, "MULTI2", "two", "Second, clean.\r\n")
verify(action_of(status) == "accept", "2nd message: accept", status, "accept score=...")
verify(mt.getheader(conn, "X-Vigie-Report", 0) == nil, "2nd message: no X-Vigie-Report",
    mt.getheader(conn, "X-Vigie-Report", 0), "nil")
verify(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "2nd message: Subject untouched",
    "a Subject change", "none")

reply, status = message(conn, "MULTI3", "three", "Third: vigie-e2e-reject.\r\n")
verify(is_reject(conn, reply), "3rd message: 550 5.7.1 vigie e2e: rejected", reply,
    "replycode 550 5.7.1")

reply, status = message(conn, "MULTI4", "vigie-e2e-quarantine four", "Fourth.\r\n")
verify(mt.eom_check(conn, MT_QUARANTINE), "4th message: quarantined", reply, "a quarantine request")
verify(status == "quarantine score=9.0", "4th message: X-Vigie-Status quarantine",
    status, "quarantine score=9.0")

reply, status = message(conn, "MULTI5", "five", "Fifth, clean again.\r\n")
verify(action_of(status) == "accept", "5th message: accept", status, "accept score=...")
verify(not mt.eom_check(conn, MT_QUARANTINE), "5th message: not quarantined",
    "a quarantine request", "none")

mt.disconnect(conn)
finish()
