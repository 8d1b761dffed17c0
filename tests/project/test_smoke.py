def test_it_shows_home_to_a_manager(manager_client):
    response = manager_client.get("/")
    assert response.status_code == 200
