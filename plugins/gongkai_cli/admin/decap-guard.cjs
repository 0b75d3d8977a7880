/* Loaded into node before decap-server (`node --require decap-guard.cjs …/decap-server/dist/index.js`)
 * by `invoke edit` (gongkai_cli/edit.py). decap-server has no authentication and checks neither Host
 * nor Origin; this answers 403 to every request that does not come from our editor proxy: it must be
 * POST /api/v1 with Host 127.0.0.1:<its port> and this session's secret in X-Gongkai-Proxy.
 * The proxy (gongkai_cli/editor_proxy.py) is what confines the requests to content/.
 * Never served to the browser: edit.py copies only index.html and gongkai-cms.js into admin/. */
"use strict";
const http = require("http");
const crypto = require("crypto");

const token = Buffer.from(process.env.GONGKAI_PROXY_TOKEN || "", "utf8");
const host = process.env.GONGKAI_PROXY_HOST || "";
delete process.env.GONGKAI_PROXY_TOKEN; // not passed on to git
if (token.length < 32 || !host) {
  console.error("decap-guard: 缺少 GONGKAI_PROXY_TOKEN 或 GONGKAI_PROXY_HOST，decap-server 不启动");
  process.exit(2);
}

function fromProxy(req) {
  const given = Buffer.from(String(req.headers["x-gongkai-proxy"] || ""), "utf8");
  return given.length === token.length && crypto.timingSafeEqual(given, token) &&
    req.headers.host === host && req.method === "POST" && req.url === "/api/v1";
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res, ...rest) {
  if ((event === "request" || event === "checkContinue" || event === "checkExpectation") && !fromProxy(req)) {
    res.writeHead(403, { "Content-Type": "application/json; charset=utf-8", "Connection": "close" });
    res.end(JSON.stringify({ error: "decap-server 只接受 invoke edit 编辑器代理的请求" }));
    return true;
  }
  if (event === "upgrade" || event === "connect") {
    req.socket.destroy();
    return true;
  }
  return emit.call(this, event, req, res, ...rest);
};
