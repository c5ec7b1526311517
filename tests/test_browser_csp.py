"""In a real browser, the Content-Security-Policy blocks nothing the dashboard or simulator uses."""

import pytest

from tests.test_browser import press, sign_in

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def test_no_page_trips_the_content_security_policy(
    live_server, browser_page, make_account, factory, dash
):
    make_account("ana")
    village = factory.village("Kanigoro")
    home = factory.household(village)
    dash.message(village=village)
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, live_server)
    paths = ["/admin/", "/admin/villages", f"/admin/villages/{village.id}", "/admin/households"]
    paths += [f"/admin/households/{home.id}", "/admin/messages", "/admin/content", "/admin/audit"]
    paths += ["/admin/facilitators", "/admin/villages/new", "/simulator/"]
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert page.evaluate("window.__violations") == [], path
    page.get_by_label("…or any number").fill("0812 9999 0001")
    page.get_by_role("button", name="Use this phone").click()
    page.wait_for_load_state()
    press(page, "*384*123#")  # the keypad's script, loaded from /admin/static, types
    assert page.locator("#entry").input_value() == "*384*123#"
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], console


INJECT = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.__ran = true';
  document.body.appendChild(script);
  return window.__ran === true;
}"""


def test_an_injected_inline_script_is_blocked_and_seen(live_server, browser_page, make_account):
    make_account("ana")
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, live_server)
    assert page.evaluate(INJECT) is False
    page.wait_for_function("window.__violations.length > 0")
    assert "script-src" in page.evaluate("window.__violations")[0]
