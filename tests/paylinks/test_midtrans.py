"""Payment links through Midtrans Snap, against a local server that speaks Midtrans's
documented request and notification (tests/paylinks/fake_midtrans.py). A forged notification
records nothing; a valid one records one payment, however often it is repeated."""

import json

import pytest
from django.urls import reverse

from billing import services as billing
from billing.models import Invoice, Payment
from paylinks.models import PaymentLink
from tests.billing.builders import scheduled_contract

from .fake_midtrans import SERVER_KEY, SNAP_PATH, FakeMidtrans

NOTIFY = "midtrans_notification"


@pytest.fixture
def midtrans(settings):
    fake = FakeMidtrans().start()
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.MIDTRANS_SNAP_URL = fake.url + SNAP_PATH
    yield fake
    fake.stop()


@pytest.fixture
def invoice(world):
    return scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya").invoices.get()


def _pay_online(client_for, world, invoice):
    url = reverse("invoice_pay_online", args=[world.practice.slug, invoice.code])
    return client_for(world.sponsor).post(url)


def _notify(client, body):
    return client.post(reverse(NOTIFY), json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_payer_goes_to_midtrans_after_the_documented_request(
    world, client_for, midtrans, invoice
):
    page = client_for(world.sponsor).get(
        reverse("invoice_detail", args=[world.practice.slug, invoice.code])
    )
    assert 'data-testid="pay-online"' in page.content.decode()
    response = _pay_online(client_for, world, invoice)
    link = PaymentLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == link.redirect_url
    assert link.redirect_url.startswith("https://app.sandbox.midtrans.com/snap/v4/redirection/")
    [sent] = midtrans.received
    assert (sent["method"], sent["path"]) == ("POST", SNAP_PATH)
    assert sent["headers"]["Authorization"] == FakeMidtrans.basic_auth()
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["headers"]["Accept"] == "application/json"
    body = json.loads(sent["body"])
    assert body["transaction_details"] == {"order_id": link.order_id, "gross_amount": 8_325_000}
    assert body["customer_details"] == {"first_name": "PT Maju Jaya", "email": world.sponsor.email}
    assert body["callbacks"]["finish"].endswith(
        reverse("invoice_detail", args=[world.practice.slug, invoice.code])
    )
    assert set(body) == {"transaction_details", "customer_details", "callbacks"}
    # A second click within the day goes to the same page: no second transaction.
    assert _pay_online(client_for, world, invoice)["Location"] == link.redirect_url
    assert len(midtrans.received) == 1


@pytest.mark.django_db
def test_the_link_asks_for_what_is_still_due(world, client_for, midtrans, invoice):
    billing.record_payment(
        invoice=invoice, amount_minor=3_000_000, paid_on=invoice.issued_on, actor=world.admin
    )
    _pay_online(client_for, world, invoice)
    body = json.loads(midtrans.received[0]["body"])
    assert body["transaction_details"]["gross_amount"] == 5_325_000


@pytest.mark.django_db(transaction=True)
def test_midtrans_notification_records_one_payment_however_often_sent(
    world, client_for, midtrans, invoice, live_server
):
    _pay_online(client_for, world, invoice)
    order_id = PaymentLink.objects.get().order_id
    url = live_server.url + reverse(NOTIFY)
    body = FakeMidtrans.notification(order_id)
    assert midtrans.notify(url, body) == (200, {"recorded": True})
    assert midtrans.notify(url, body) == (200, {"recorded": True})  # Midtrans retried
    payment = Payment.objects.get()
    assert payment.external_reference == f"midtrans:{order_id}"
    assert (payment.amount_minor, payment.method) == (8_325_000, "gateway")
    assert payment.paid_on.isoformat() == "2026-11-20"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_minor) == ("paid", 8_325_000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        {"server_key": "SB-Mid-server-SomebodyElse"},  # signed without our key
        {"signed_amount": "1000.00", "gross_amount": "8325000.00"},  # amount changed after
        {"sent_status_code": "201"},  # signed for status 200, sent with another
        {"signature_key": ""},
    ],
)
def test_a_forged_notification_is_refused_and_records_nothing(
    world, client_for, midtrans, invoice, client, forge
):
    _pay_online(client_for, world, invoice)
    order_id = PaymentLink.objects.get().order_id
    signing = {
        k: v for k, v in forge.items() if k in ("server_key", "signed_amount", "gross_amount")
    }
    body = FakeMidtrans.notification(order_id, **signing)
    if "sent_status_code" in forge:
        body["status_code"] = forge["sent_status_code"]
    if "signature_key" in forge:
        body["signature_key"] = forge["signature_key"]
    client.logout()
    assert _notify(client, body).status_code == 403
    assert not Payment.objects.exists()
    assert Invoice.objects.get(pk=invoice.pk).status == "issued"


@pytest.mark.django_db
def test_notifications_that_report_no_payment_record_nothing(
    world, client_for, midtrans, invoice, client
):
    _pay_online(client_for, world, invoice)
    order_id = PaymentLink.objects.get().order_id
    client.logout()
    for status, fraud in [("pending", "accept"), ("expire", "accept"), ("capture", "challenge")]:
        body = FakeMidtrans.notification(order_id, transaction_status=status, fraud_status=fraud)
        response = _notify(client, body)
        assert (response.status_code, response.json()) == (200, {"recorded": False})
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_bad_notifications_get_clear_refusals(world, client_for, midtrans, invoice, client):
    _pay_online(client_for, world, invoice)
    order_id = PaymentLink.objects.get().order_id
    client.logout()
    url = reverse(NOTIFY)
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400
    assert _notify(client, FakeMidtrans.notification("unknown-order")).status_code == 404
    # Signed by Midtrans, but not the amount this link asked for: not recorded, 409.
    other = FakeMidtrans.notification(order_id, gross_amount="100.00")
    assert _notify(client, other).status_code == 409
    assert client.get(url).status_code == 405
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_gateway_that_does_not_answer_leaves_a_message_and_no_link(
    world, client_for, settings, invoice
):
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.MIDTRANS_SNAP_URL = "http://127.0.0.1:9/snap/v1/transactions"  # nothing listens
    response = _pay_online(client_for, world, invoice)
    assert response.status_code == 302
    page = client_for(world.sponsor).get(response["Location"]).content.decode()
    assert "The payment service did not answer" in page
    assert not PaymentLink.objects.exists()


@pytest.mark.django_db
def test_payment_links_are_off_without_a_server_key(world, client_for, invoice, client):
    page = client_for(world.sponsor).get(
        reverse("invoice_detail", args=[world.practice.slug, invoice.code])
    )
    assert 'data-testid="pay-online"' not in page.content.decode()
    assert _pay_online(client_for, world, invoice).status_code == 404
    client.logout()
    body = FakeMidtrans.notification("any")
    assert _notify(client, body).status_code == 404


@pytest.mark.django_db
def test_only_the_bill_to_party_is_offered_the_link(world, client_for, midtrans, invoice):
    url = reverse("invoice_pay_online", args=[world.practice.slug, invoice.code])
    assert client_for(world.client).post(url).status_code == 404  # not the client's invoice
    assert client_for(world.admin).post(url).status_code == 403
    assert not midtrans.received and not PaymentLink.objects.exists()
